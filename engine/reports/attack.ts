/**
 * MITRE ATT&CK names and links for a hunt's tactics and techniques. Hunts
 * carry tactics the way Sentinel writes them ("CredentialAccess") and
 * techniques as IDs ("T1110" or "T1110.003").
 */

export interface AttackTactic {
  /** Display name, e.g. "Credential Access". */
  name: string;
  /** kebab-case, as STIX kill-chain phases name it: "credential-access". */
  phase: string;
  /** e.g. "TA0006"; null for a tactic this table does not know. */
  id: string | null;
  url: string | null;
}

export interface AttackTechnique {
  /** e.g. "T1110.003". */
  id: string;
  url: string;
}

// Enterprise tactics, plus the two ICS-only tactics Sentinel hunts use.
const tacticIds: Record<string, string> = {
  reconnaissance: 'TA0043',
  'resource-development': 'TA0042',
  'initial-access': 'TA0001',
  execution: 'TA0002',
  persistence: 'TA0003',
  'privilege-escalation': 'TA0004',
  'defense-evasion': 'TA0005',
  'credential-access': 'TA0006',
  discovery: 'TA0007',
  'lateral-movement': 'TA0008',
  collection: 'TA0009',
  'command-and-control': 'TA0011',
  exfiltration: 'TA0010',
  impact: 'TA0040',
  'impair-process-control': 'TA0106',
  'inhibit-response-function': 'TA0107',
};

const smallWords = new Set(['and', 'of', 'the']);

/** "CredentialAccess", "Credential Access", "credential_access" and "CommandAndControl" all give the phase name. */
export function tacticPhase(tactic: string): string {
  return tactic
    .trim()
    .replace(/([a-z0-9])([A-Z])/g, '$1-$2')
    .replace(/[\s_]+/g, '-')
    .replace(/[^A-Za-z0-9-]/g, '')
    .replace(/-+/g, '-')
    .replace(/^-|-$/g, '')
    .toLowerCase();
}

export function attackTactic(tactic: string): AttackTactic {
  const phase = tacticPhase(tactic);
  const id = tacticIds[phase] ?? null;
  const name = phase
    .split('-')
    .map((w, i) => (i > 0 && smallWords.has(w) ? w : w.charAt(0).toUpperCase() + w.slice(1)))
    .join(' ');
  return { name, phase, id, url: id ? `https://attack.mitre.org/tactics/${id}/` : null };
}

const TECHNIQUE = /^T\d{4}(?:\.\d{3})?$/;

/** A technique ID with its attack.mitre.org page; null for text that is not an ID. */
export function attackTechnique(technique: string): AttackTechnique | null {
  const id = technique.trim().toUpperCase();
  if (!TECHNIQUE.test(id)) return null;
  return { id, url: `https://attack.mitre.org/techniques/${id.replace('.', '/')}/` };
}

/** The distinct tactics and techniques of several hunts, in first-seen order. */
export function attackCoverage(hunts: Array<{ tactics: string[]; techniques: string[] }>): { tactics: AttackTactic[]; techniques: AttackTechnique[] } {
  const tactics = new Map<string, AttackTactic>();
  const techniques = new Map<string, AttackTechnique>();
  for (const h of hunts) {
    for (const t of h.tactics) {
      const tactic = attackTactic(t);
      if (tactic.phase && !tactics.has(tactic.phase)) tactics.set(tactic.phase, tactic);
    }
    for (const t of h.techniques) {
      const technique = attackTechnique(t);
      if (technique && !techniques.has(technique.id)) techniques.set(technique.id, technique);
    }
  }
  return { tactics: [...tactics.values()], techniques: [...techniques.values()].sort((a, b) => a.id.localeCompare(b.id)) };
}
