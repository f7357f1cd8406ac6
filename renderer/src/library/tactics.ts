/** MITRE ATT&CK Enterprise tactics in kill-chain order, as Sentinel writes them (no spaces). */
export const attackTactics = [
  'Reconnaissance',
  'ResourceDevelopment',
  'InitialAccess',
  'Execution',
  'Persistence',
  'PrivilegeEscalation',
  'DefenseEvasion',
  'CredentialAccess',
  'Discovery',
  'LateralMovement',
  'Collection',
  'CommandAndControl',
  'Exfiltration',
  'Impact',
] as const;

/** "CredentialAccess" -> "Credential Access", for display. */
export const tacticLabel = (tactic: string): string => tactic.replace(/([a-z])([A-Z])/g, '$1 $2').replace(/And/g, 'and');
