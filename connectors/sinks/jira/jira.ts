import { z } from 'zod';
import type { HttpResponse } from '../../http/http-client.js';
import { SinkError, basicAuth, commonSinkSettings, endpoint, parseJson, requireSecret, serviceUrl, sinkRequest } from '../common.js';
import type { DeliveryRequest, DeliveryResult, FindingMessage, SinkContext, SinkDriver, SinkKindSpec, TicketRef } from '../types.js';
import { textToAdf } from './adf.js';

/**
 * Jira Cloud through REST v3: one issue per finding, labelled with the
 * finding's correlation id (and its dedup key), found again by JQL on
 * /rest/api/3/search/jql before anything is created. Re-hits, acknowledging
 * and closing add comments; closing also moves the issue to Done (or
 * through the configured transition), acknowledging through one if set.
 */

const projectKey = z.string().regex(/^[A-Z][A-Z0-9_]{0,9}$/, 'a Jira project key like SEC');
/** A workflow transition id; `quarry sinks add -s closeTransitionId=31` passes it as a number. */
const transitionId = z.union([z.string().regex(/^\d+$/, 'a transition id like 31'), z.number().int().nonnegative().transform(String)]);

export const jiraSettingsSchema = z
  .object({
    baseUrl: serviceUrl,
    /** The Atlassian account the API token belongs to. */
    email: z.string().email(),
    projectKey,
    issueType: z.string().min(1).default('Task'),
    /** Extra labels on every issue (no spaces: Jira labels cannot hold them). */
    labels: z.array(z.string().regex(/^\S{1,255}$/, 'labels cannot contain spaces')).default([]),
    /**
     * Transition ids (from GET /rest/api/3/issue/{key}/transitions) to apply
     * on acknowledge and close. Unset, acknowledging only comments and closing
     * takes the issue's first transition into a Done-category status; "none"
     * makes closing only comment too.
     */
    ackTransitionId: transitionId.optional(),
    closeTransitionId: z.union([transitionId, z.literal('none')]).optional(),
    ...commonSinkSettings,
  })
  .strict();

export type JiraSettings = z.output<typeof jiraSettingsSchema>;

interface JiraTransition {
  id: string;
  name?: string;
  to?: { name?: string; statusCategory?: { key?: string } };
}

function errorText(res: HttpResponse): string | null {
  const body = parseJson(res.text) as { errorMessages?: string[]; errors?: Record<string, string> } | null;
  if (!body) return null;
  const parts = [...(body.errorMessages ?? []), ...Object.entries(body.errors ?? {}).map(([k, v]) => `${k}: ${v}`)];
  return parts.length ? parts.join('; ') : null;
}

/** Labels the issue carries: the correlation id (looked up before creating) and the dedup key (every finding of the same activity). */
export const jiraLabels = (f: FindingMessage, extra: string[]): string[] => [...new Set(['quarry', `quarry-${f.dedupKey}`, f.correlationId, ...extra])];

export function openJira(ctx: SinkContext<JiraSettings>): SinkDriver {
  const s = ctx.settings;
  const label = 'Jira';

  async function call(method: 'GET' | 'POST', path: string, body?: unknown): Promise<unknown> {
    const token = await requireSecret(ctx, 'apiToken', label);
    const res = await sinkRequest(ctx, {
      label,
      method,
      url: endpoint(s.baseUrl, path),
      headers: { authorization: basicAuth(s.email, token), accept: 'application/json', 'content-type': 'application/json' },
      body: body === undefined ? undefined : JSON.stringify(body),
      timeoutMs: s.timeoutMs,
      errorText,
    });
    return res.text ? parseJson(res.text) : null;
  }

  const ticketOf = (issue: { id: string; key: string }): TicketRef => ({
    externalId: issue.id,
    key: issue.key,
    url: `${s.baseUrl}/browse/${issue.key}`,
  });

  async function lookup(correlationId: string): Promise<TicketRef | null> {
    // The correlation id is [a-z0-9-] only, so quoting it is enough to keep the JQL well-formed.
    // search/jql is eventually consistent; a retry comes a backoff (15 s or more) after the lost answer,
    // by when an issue created then is searchable.
    const found = (await call('POST', '/rest/api/3/search/jql', {
      jql: `project = "${s.projectKey}" AND labels = "${correlationId}"`,
      fields: ['summary', 'status'],
      maxResults: 1,
    })) as { issues?: Array<{ id: string; key: string }> } | null;
    const issue = found?.issues?.[0];
    return issue ? ticketOf(issue) : null;
  }

  async function create(f: FindingMessage): Promise<TicketRef> {
    const made = (await call('POST', '/rest/api/3/issue', {
      fields: {
        project: { key: s.projectKey },
        issuetype: { name: s.issueType },
        summary: f.title.replace(/[\r\n]+/g, ' ').slice(0, 255),
        description: textToAdf(f.description),
        labels: jiraLabels(f, s.labels),
      },
    })) as { id?: string; key?: string } | null;
    if (!made?.id || !made.key) throw new SinkError(`${label}: the created issue came back without an id`, false);
    return ticketOf({ id: made.id, key: made.key });
  }

  const comment = (t: TicketRef, text: string): Promise<unknown> =>
    call('POST', `/rest/api/3/issue/${encodeURIComponent(t.externalId)}/comment`, { body: textToAdf(text) });
  /**
   * Moves the issue through a transition: the configured one, or (`done`)
   * the first that leads into a Done-category status. Only transitions the
   * issue offers from where it is are taken, so a retried close of an issue
   * that is already closed does not fail. Returns what it did, for the detail.
   */
  async function transition(t: TicketRef, wanted: { id: string } | 'done'): Promise<string> {
    const path = `/rest/api/3/issue/${encodeURIComponent(t.externalId)}/transitions`;
    const offered = ((await call('GET', path)) as { transitions?: JiraTransition[] } | null)?.transitions ?? [];
    const pick = wanted === 'done' ? offered.find((x) => x.to?.statusCategory?.key === 'done') : offered.find((x) => x.id === wanted.id);
    if (!pick) return wanted === 'done' ? 'no transition to Done offered' : `transition ${wanted.id} not offered from its status`;
    await call('POST', path, { transition: { id: pick.id } });
    return `moved to ${pick.to?.name ?? pick.name ?? `transition ${pick.id}`}`;
  }

  return {
    async deliver(req: DeliveryRequest): Promise<DeliveryResult> {
      const f = req.finding;
      const found = req.ticket ?? (await lookup(f.correlationId));
      if (!found) {
        if (req.action === 'acknowledge' || req.action === 'resolve') return { ticket: null, detail: 'no issue to update' };
        const made = await create(f);
        return { ticket: made, detail: `created ${made.key}` };
      }
      switch (req.action) {
        case 'create':
          return { ticket: found, detail: `found ${found.key} (already created)` };
        case 'update':
          await comment(found, `Seen again by Quarry: ${f.count} time(s), ${f.rows} row(s).\nLast seen: ${f.lastSeen}\nSeverity: ${f.severity}${f.verdict ? `\nThreat intel: ${f.verdict}` : ''}`);
          return { ticket: found, detail: `commented on ${found.key}` };
        case 'acknowledge': {
          await comment(found, 'Acknowledged in Quarry.');
          const moved = s.ackTransitionId ? `; ${await transition(found, { id: s.ackTransitionId })}` : '';
          return { ticket: found, detail: `acknowledged ${found.key}${moved}` };
        }
        case 'resolve': {
          await comment(found, `Closed in Quarry.${f.closeNotes ? `\n${f.closeNotes}` : ''}`);
          const close = s.closeTransitionId ?? 'auto';
          const moved = close === 'none' ? '' : `; ${await transition(found, close === 'auto' ? 'done' : { id: close })}`;
          return { ticket: found, detail: `closed ${found.key}${moved}` };
        }
      }
    },
    async test() {
      const me = (await call('GET', '/rest/api/3/myself')) as { displayName?: string } | null;
      const project = (await call('GET', `/rest/api/3/project/${encodeURIComponent(s.projectKey)}`)) as { name?: string } | null;
      return `signed in as ${me?.displayName ?? s.email}; project ${s.projectKey}${project?.name ? ` (${project.name})` : ''} is visible`;
    },
  };
}

export const jiraSink: SinkKindSpec<JiraSettings> = {
  kind: 'jira',
  label: 'Jira',
  settingsSchema: jiraSettingsSchema,
  secretFields: ['apiToken'],
  requiredSecrets: () => ['apiToken'],
  ticketing: true,
  open: openJira,
};
