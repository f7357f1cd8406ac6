export interface FindingNotice {
  id: string;
  title: string;
  huntName?: string;
}

const isHigh = (severity: unknown): boolean => String(severity).toLowerCase() === 'high';

/**
 * Narrows a `finding.created` payload (a Finding) to what a notification
 * needs: only high-severity findings interrupt the user.
 */
export function highSeverityFinding(payload: unknown): FindingNotice | null {
  if (typeof payload !== 'object' || payload === null) return null;
  const p = payload as Record<string, unknown>;
  if (!isHigh(p.severity)) return null;
  const id = typeof p.id === 'string' || typeof p.id === 'number' ? String(p.id) : '';
  const huntName = typeof p.huntName === 'string' ? p.huntName : undefined;
  const title = typeof p.title === 'string' && p.title ? p.title : (huntName ?? 'New high-severity finding');
  return { id, title, huntName };
}

/**
 * Narrows a `finding.updated` payload (a Finding with `previousSeverity`) to
 * a finding that has just become high: raised by a threat-intel verdict or a
 * re-hit. One that was high already was announced when it became so.
 */
export function raisedToHighFinding(payload: unknown): (FindingNotice & { verdict?: string }) | null {
  const finding = highSeverityFinding(payload);
  if (!finding) return null;
  const p = payload as Record<string, unknown>;
  if (typeof p.previousSeverity !== 'string' || isHigh(p.previousSeverity)) return null;
  return { ...finding, verdict: typeof p.verdict === 'string' ? p.verdict : undefined };
}

export interface NotifierDeps {
  isSupported(): boolean;
  show(title: string, body: string, onClick: () => void): void;
}

/**
 * A native notification per finding that is high severity when it opens
 * (`finding.created`) or is raised to high later (`finding.updated`, e.g. a
 * malicious verdict that arrived after the run). Subscribes to whichever of
 * those events the engine has; returns whether it subscribed to any.
 */
export function notifyHighSeverityFindings(
  engine: { events: { on(event: string, listener: (payload: unknown) => void): unknown } },
  eventNames: readonly string[],
  deps: NotifierDeps,
  openFindings: () => void,
): boolean {
  if (!deps.isSupported()) return false;
  const from = (f: FindingNotice): string => (f.huntName ? `From hunt "${f.huntName}"` : 'Open Quarry to review it.');
  let subscribed = false;
  if (eventNames.includes('finding.created')) {
    subscribed = true;
    engine.events.on('finding.created', (payload) => {
      const finding = highSeverityFinding(payload);
      if (finding) deps.show(`High-severity finding: ${finding.title}`, from(finding), openFindings);
    });
  }
  if (eventNames.includes('finding.updated')) {
    subscribed = true;
    engine.events.on('finding.updated', (payload) => {
      const finding = raisedToHighFinding(payload);
      if (!finding) return;
      const why = finding.verdict === 'malicious' ? 'Threat intel says malicious. ' : '';
      deps.show(`Finding raised to high: ${finding.title}`, `${why}${from(finding)}`, openFindings);
    });
  }
  return subscribed;
}
