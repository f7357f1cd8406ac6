import { isJsonRequest, startLoopbackFake, type FakeReply, type LoopbackFake } from '../../findings/fake-http.js';

/**
 * A fake PagerDuty Events API v2: POST /v2/enqueue with routing_key,
 * event_action (trigger, acknowledge, resolve), dedup_key and, for triggers,
 * payload {summary <= 1024, source, severity in critical|error|warning|info}.
 * 202 {"status":"success","message":"Event processed","dedup_key"}; invalid
 * events 400 {"status":"invalid event","message","errors":[...]}. Alerts
 * de-duplicate as documented: a trigger with the dedup_key of an open alert
 * joins it; after a resolve the same key opens a new alert.
 */

export interface PagerDutyAlert {
  dedupKey: string;
  status: 'triggered' | 'acknowledged' | 'resolved';
  /** Trigger events this alert received (the first one opened it). */
  triggers: Array<Record<string, unknown>>;
  severity: string;
  summary: string;
}

export interface PagerDutyFake extends LoopbackFake {
  readonly alerts: PagerDutyAlert[];
  alertsFor(dedupKey: string): PagerDutyAlert[];
}

const invalid = (...errors: string[]): FakeReply => ({ status: 400, body: { status: 'invalid event', message: 'Event object is invalid', errors } });
const SEVERITIES = new Set(['critical', 'error', 'warning', 'info']);

export async function startPagerDutyFake(opts: { routingKey?: string } = {}): Promise<PagerDutyFake> {
  const routingKey = opts.routingKey ?? 'R0UT1NGKEY0000000000000000000001';
  const alerts: PagerDutyAlert[] = [];
  let generated = 0;

  const fake = await startLoopbackFake((req) => {
    if (req.path !== '/v2/enqueue' || req.method !== 'POST') return { status: 404, body: { status: 'not found' } };
    if (!isJsonRequest(req) || typeof req.json !== 'object' || req.json === null) return invalid('Invalid JSON');
    const e = req.json as { routing_key?: unknown; event_action?: unknown; dedup_key?: unknown; payload?: Record<string, unknown> };
    if (typeof e.routing_key !== 'string' || e.routing_key.length !== 32) return invalid("'routing_key' is invalid; must be 32 characters");
    if (e.routing_key !== routingKey) return invalid('Invalid routing key');
    if (e.event_action !== 'trigger' && e.event_action !== 'acknowledge' && e.event_action !== 'resolve') return invalid("'event_action' is missing or invalid");
    if (e.dedup_key !== undefined && (typeof e.dedup_key !== 'string' || e.dedup_key.length > 255)) return invalid("'dedup_key' is invalid");
    let dedupKey = e.dedup_key as string | undefined;
    if (e.event_action === 'trigger') {
      const p = e.payload;
      const errors: string[] = [];
      if (!p || typeof p.summary !== 'string' || !p.summary) errors.push("'payload.summary' is missing or blank");
      else if (p.summary.length > 1024) errors.push("'payload.summary' is longer than 1024 characters");
      if (!p || typeof p.source !== 'string' || !p.source) errors.push("'payload.source' is missing or blank");
      if (!p || !SEVERITIES.has(p.severity as string)) errors.push("'payload.severity' is missing or invalid");
      if (errors.length) return invalid(...errors);
      dedupKey ??= `generated-${++generated}`;
      const open = alerts.find((a) => a.dedupKey === dedupKey && a.status !== 'resolved');
      if (open) open.triggers.push(e as Record<string, unknown>);
      else alerts.push({ dedupKey, status: 'triggered', triggers: [e as Record<string, unknown>], severity: p!.severity as string, summary: p!.summary as string });
    } else {
      if (!dedupKey) return invalid("'dedup_key' is required for acknowledge and resolve events");
      const open = alerts.find((a) => a.dedupKey === dedupKey && a.status !== 'resolved');
      // Acknowledge/resolve for no open alert is accepted and dropped, as documented.
      if (open) open.status = e.event_action === 'resolve' ? 'resolved' : 'acknowledged';
    }
    return { status: 202, body: { status: 'success', message: 'Event processed', dedup_key: dedupKey } };
  });

  return Object.assign(fake, {
    alerts,
    alertsFor: (key: string) => alerts.filter((a) => a.dedupKey === key),
  });
}
