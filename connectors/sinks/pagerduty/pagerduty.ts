import { z } from 'zod';
import { randomBytes } from 'node:crypto';
import type { HttpResponse } from '../../http/http-client.js';
import { commonSinkSettings, endpoint, parseJson, requireSecret, serviceUrl, sinkRequest } from '../common.js';
import type { DeliveryAction, DeliveryRequest, DeliveryResult, FindingMessage, FindingSeverity, SinkContext, SinkDriver, SinkKindSpec } from '../types.js';

/**
 * PagerDuty through the Events API v2 (POST /v2/enqueue, 202 Accepted). The
 * finding's correlation id is the dedup_key, so PagerDuty itself makes every
 * retry idempotent: a second trigger with the same key joins the open alert
 * instead of opening another. Re-hits trigger again, acknowledge and close
 * send acknowledge and resolve.
 */

export const pagerDutySettingsSchema = z
  .object({
    baseUrl: serviceUrl.default('https://events.pagerduty.com'),
    /** payload.source: the system the alert is about. */
    source: z.string().min(1).max(255).default('quarry'),
    component: z.string().min(1).max(255).optional(),
    group: z.string().min(1).max(255).optional(),
    ...commonSinkSettings,
  })
  .strict();

export type PagerDutySettings = z.output<typeof pagerDutySettingsSchema>;

/** Events API severities are critical, error, warning, info. */
const pdSeverity: Record<FindingSeverity, 'critical' | 'error' | 'warning' | 'info'> = {
  high: 'critical',
  medium: 'error',
  low: 'warning',
  informational: 'info',
};

const eventAction: Record<DeliveryAction, 'trigger' | 'acknowledge' | 'resolve'> = {
  create: 'trigger',
  update: 'trigger',
  acknowledge: 'acknowledge',
  resolve: 'resolve',
};

function errorText(res: HttpResponse): string | null {
  const body = parseJson(res.text) as { message?: string; errors?: string[] } | null;
  if (!body) return null;
  return [body.message, ...(body.errors ?? [])].filter(Boolean).join('; ') || null;
}

export function openPagerDuty(ctx: SinkContext<PagerDutySettings>): SinkDriver {
  const s = ctx.settings;
  const label = 'PagerDuty';

  async function enqueue(event: Record<string, unknown>): Promise<string> {
    const routingKey = await requireSecret(ctx, 'routingKey', label);
    const res = await sinkRequest(ctx, {
      label,
      method: 'POST',
      url: endpoint(s.baseUrl, '/v2/enqueue'),
      headers: { 'content-type': 'application/json', accept: 'application/json' },
      body: JSON.stringify({ routing_key: routingKey, ...event }),
      timeoutMs: s.timeoutMs,
      errorText,
    });
    const body = parseJson(res.text) as { dedup_key?: string } | null;
    return body?.dedup_key ?? String(event.dedup_key);
  }

  const trigger = (f: FindingMessage, dedupKey: string): Record<string, unknown> => ({
    event_action: 'trigger',
    dedup_key: dedupKey,
    payload: {
      summary: f.title.slice(0, 1024),
      source: s.source,
      severity: pdSeverity[f.severity],
      timestamp: f.lastSeen,
      ...(s.component ? { component: s.component } : {}),
      ...(s.group ? { group: s.group } : {}),
      class: f.hunt.slice(0, 255),
      custom_details: {
        hunt: f.hunt,
        entities: Object.fromEntries(f.entities.map((e) => [e.name, e.value])),
        times_seen: f.count,
        rows: f.rows,
        first_seen: f.firstSeen,
        last_seen: f.lastSeen,
        threat_intel: f.verdict ?? 'none',
        tactics: f.tactics.join(', '),
        techniques: f.techniques.join(', '),
        description: f.description,
      },
    },
    client: 'Quarry',
    ...(/^https?:/.test(f.reportLink) ? { client_url: f.reportLink, links: [{ href: f.reportLink, text: 'Quarry finding' }] } : {}),
  });

  return {
    async deliver(req: DeliveryRequest): Promise<DeliveryResult> {
      const f = req.finding;
      const dedupKey = req.ticket?.externalId ?? f.correlationId;
      const action = eventAction[req.action];
      const event = action === 'trigger' ? trigger(f, dedupKey) : { event_action: action, dedup_key: dedupKey };
      const key = await enqueue(event);
      const verb = { create: 'triggered', update: 'triggered again', acknowledge: 'acknowledged', resolve: 'resolved' }[req.action];
      return { ticket: { externalId: key, key, url: null }, detail: `${verb} alert ${key}` };
    },
    async test({ send }) {
      await requireSecret(ctx, 'routingKey', label);
      if (!send) return 'routing key is set (the Events API has no read-only check; use --send to trigger and resolve a test alert)';
      const dedupKey = `quarry-test-${randomBytes(6).toString('hex')}`;
      await enqueue({ event_action: 'trigger', dedup_key: dedupKey, payload: { summary: 'Quarry test event', source: s.source, severity: 'info' } });
      await enqueue({ event_action: 'resolve', dedup_key: dedupKey });
      return `triggered and resolved test alert ${dedupKey}`;
    },
  };
}

export const pagerDutySink: SinkKindSpec<PagerDutySettings> = {
  kind: 'pagerduty',
  label: 'PagerDuty',
  settingsSchema: pagerDutySettingsSchema,
  secretFields: ['routingKey'],
  requiredSecrets: () => ['routingKey'],
  ticketing: true,
  open: openPagerDuty,
};
