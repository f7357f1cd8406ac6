import { z } from 'zod';
import type { HttpResponse } from '../../http/http-client.js';
import { SinkError, basicAuth, commonSinkSettings, endpoint, parseJson, requireSecret, serviceUrl, sinkRequest } from '../common.js';
import type { DeliveryRequest, DeliveryResult, FindingMessage, FindingSeverity, SinkContext, SinkDriver, SinkKindSpec, TicketRef } from '../types.js';

/**
 * ServiceNow through the Table API (/api/now/table/<table>): one incident per
 * finding, found again by correlation_id before anything is created, so a
 * delivery retried after a crash updates the incident it already made.
 * Re-hits PATCH the description and add a work note; closing resolves the
 * incident (state 6 with close_code and close_notes).
 */

export const serviceNowSettingsSchema = z
  .object({
    instanceUrl: serviceUrl,
    auth: z.enum(['basic', 'oauth']).default('basic'),
    /** For basic auth; the password is a secret. */
    username: z.string().min(1).optional(),
    table: z.string().regex(/^[a-z0-9_]+$/, 'a table name like incident').default('incident'),
    closeCode: z.string().min(1).default('Resolved by caller'),
    assignmentGroup: z.string().min(1).optional(),
    category: z.string().min(1).optional(),
    callerId: z.string().min(1).optional(),
    ...commonSinkSettings,
  })
  .strict()
  .refine((s) => s.auth !== 'basic' || s.username, { message: 'basic auth needs a username', path: ['username'] });

export type ServiceNowSettings = z.output<typeof serviceNowSettingsSchema>;

// Incident states of the base system: 2 In Progress, 6 Resolved.
const IN_PROGRESS = 2;
const RESOLVED = 6;

/** ServiceNow's 1 (high) .. 3 (low) for both urgency and impact. */
const level: Record<FindingSeverity, number> = { high: 1, medium: 2, low: 3, informational: 3 };

interface IncidentRecord {
  sys_id: string;
  number?: string;
  state?: string;
}

function errorText(res: HttpResponse): string | null {
  const body = parseJson(res.text) as { error?: { message?: string; detail?: string } } | null;
  const e = body?.error;
  if (!e) return null;
  return [e.message, e.detail].filter(Boolean).join(' - ') || null;
}

export function openServiceNow(ctx: SinkContext<ServiceNowSettings>): SinkDriver {
  const s = ctx.settings;
  const label = 'ServiceNow';

  async function headers(): Promise<Record<string, string>> {
    const auth = s.auth === 'oauth'
      ? `Bearer ${await requireSecret(ctx, 'accessToken', label)}`
      : basicAuth(s.username!, await requireSecret(ctx, 'password', label));
    return { authorization: auth, accept: 'application/json', 'content-type': 'application/json' };
  }

  const tablePath = `/api/now/table/${s.table}`;
  const ticketOf = (r: IncidentRecord): TicketRef => ({
    externalId: r.sys_id,
    key: r.number ?? null,
    url: `${s.instanceUrl}/nav_to.do?uri=${encodeURIComponent(`${s.table}.do?sys_id=${r.sys_id}`)}`,
  });

  async function send(method: 'GET' | 'POST' | 'PATCH', path: string, body?: unknown, query?: Record<string, string>): Promise<unknown> {
    const res = await sinkRequest(ctx, {
      label,
      method,
      url: endpoint(s.instanceUrl, path, query),
      headers: await headers(),
      body: body === undefined ? undefined : JSON.stringify(body),
      timeoutMs: s.timeoutMs,
      errorText,
    });
    const parsed = parseJson(res.text) as { result?: unknown } | null;
    if (!parsed || parsed.result === undefined) throw new SinkError(`${label}: the answer had no "result"`, false, res.status);
    return parsed.result;
  }

  /** The incident an earlier delivery (or an attempt whose answer was lost) made for this finding. */
  async function lookup(correlationId: string): Promise<IncidentRecord | null> {
    const result = await send('GET', tablePath, undefined, {
      sysparm_query: `correlation_id=${correlationId}^ORDERBYsys_created_on`,
      sysparm_fields: 'sys_id,number,state',
      sysparm_limit: '1',
    });
    const list = Array.isArray(result) ? (result as IncidentRecord[]) : [];
    return list[0] ?? null;
  }

  const rehitNote = (f: FindingMessage): string =>
    `Quarry saw this again: ${f.count} time(s), ${f.rows} row(s), last seen ${f.lastSeen}. Severity ${f.severity}.`;

  async function create(f: FindingMessage): Promise<TicketRef> {
    const fields: Record<string, unknown> = {
      short_description: f.title.slice(0, 160),
      description: f.description,
      urgency: String(level[f.severity]),
      impact: String(level[f.severity]),
      correlation_id: f.correlationId,
      correlation_display: 'Quarry',
    };
    if (s.assignmentGroup) fields.assignment_group = s.assignmentGroup;
    if (s.category) fields.category = s.category;
    if (s.callerId) fields.caller_id = s.callerId;
    return ticketOf((await send('POST', tablePath, fields)) as IncidentRecord);
  }

  async function patch(ticket: TicketRef, fields: Record<string, unknown>): Promise<void> {
    await send('PATCH', `${tablePath}/${encodeURIComponent(ticket.externalId)}`, fields);
  }

  return {
    async deliver(req: DeliveryRequest): Promise<DeliveryResult> {
      const f = req.finding;
      const found = req.ticket ?? (await lookup(f.correlationId).then((r) => (r ? ticketOf(r) : null)));
      const name = (t: TicketRef): string => t.key ?? t.externalId;
      if (!found) {
        if (req.action === 'acknowledge' || req.action === 'resolve') return { ticket: null, detail: 'no incident to update' };
        const made = await create(f);
        return { ticket: made, detail: `created ${name(made)}` };
      }
      switch (req.action) {
        case 'create':
          // The earlier attempt got through before its answer was lost: nothing more to do.
          return { ticket: found, detail: `found ${name(found)} (already created)` };
        case 'update':
          await patch(found, {
            description: f.description,
            urgency: String(level[f.severity]),
            impact: String(level[f.severity]),
            work_notes: rehitNote(f),
          });
          return { ticket: found, detail: `updated ${name(found)}` };
        case 'acknowledge':
          await patch(found, { state: String(IN_PROGRESS), work_notes: 'Acknowledged in Quarry.' });
          return { ticket: found, detail: `set ${name(found)} in progress` };
        case 'resolve':
          await patch(found, {
            state: String(RESOLVED),
            close_code: s.closeCode,
            close_notes: f.closeNotes || 'Closed in Quarry.',
          });
          return { ticket: found, detail: `resolved ${name(found)}` };
      }
    },
    async test() {
      await send('GET', tablePath, undefined, { sysparm_limit: '1', sysparm_fields: 'sys_id' });
      return `signed in to ${new URL(s.instanceUrl).host}; the ${s.table} table is readable`;
    },
  };
}

export const serviceNowSink: SinkKindSpec<ServiceNowSettings> = {
  kind: 'servicenow',
  label: 'ServiceNow',
  settingsSchema: serviceNowSettingsSchema,
  secretFields: ['password', 'accessToken'],
  requiredSecrets: (s) => [s.auth === 'oauth' ? 'accessToken' : 'password'],
  ticketing: true,
  open: openServiceNow,
};
