export interface FindingNotice {
  id: string;
  title: string;
  huntName?: string;
}

/**
 * Narrows a `finding.created` payload (its type lives with the findings issue)
 * to what a notification needs: only high-severity findings interrupt the user.
 */
export function highSeverityFinding(payload: unknown): FindingNotice | null {
  if (typeof payload !== 'object' || payload === null) return null;
  const p = payload as Record<string, unknown>;
  if (String(p.severity).toLowerCase() !== 'high') return null;
  const id = typeof p.id === 'string' || typeof p.id === 'number' ? String(p.id) : '';
  const huntName = typeof p.huntName === 'string' ? p.huntName : undefined;
  const title = typeof p.title === 'string' && p.title ? p.title : (huntName ?? 'New high-severity finding');
  return { id, title, huntName };
}

export interface NotifierDeps {
  isSupported(): boolean;
  show(title: string, body: string, onClick: () => void): void;
}

/**
 * A native notification per new high-severity finding, when the engine emits
 * `finding.created` (the findings issue); a no-op on engines without it.
 * Returns whether it subscribed.
 */
export function notifyHighSeverityFindings(
  engine: { events: { on(event: string, listener: (payload: unknown) => void): unknown } },
  eventNames: readonly string[],
  deps: NotifierDeps,
  openFindings: () => void,
): boolean {
  if (!eventNames.includes('finding.created') || !deps.isSupported()) return false;
  engine.events.on('finding.created', (payload) => {
    const finding = highSeverityFinding(payload);
    if (!finding) return;
    deps.show(`High-severity finding: ${finding.title}`, finding.huntName ? `From hunt "${finding.huntName}"` : 'Open Quarry to review it.', openFindings);
  });
  return true;
}
