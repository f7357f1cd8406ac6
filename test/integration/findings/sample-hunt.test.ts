import { describe, expect, it } from 'vitest';
import { createWorld, SECRETS } from './world.js';
import { basicCredentials, type RecordedRequest } from './fake-http.js';
import { isAdfDoc } from '../fakes/jira/index.js';
import { blocksValid } from '../fakes/slack/index.js';
import { adaptiveCardValid } from '../fakes/teams/index.js';
import { planted } from '../../../engine/sample/index.js';
import type { Finding } from '../../../engine/findings/types.js';

/**
 * The issue's "done when", on what a new install holds: the sample password
 * spray hunt, run on the generated sample data, reaches ServiceNow, Jira,
 * PagerDuty, Slack and Teams as their documented requests, through throttling,
 * an outage, a lost answer and two restarts; a re-hit updates instead of
 * duplicating; acknowledging and closing reach the tickets.
 */

const SAMPLE_SPRAY = '3f6c2a1e-8b4d-4c3a-9e5f-1a2b3c4d5e01';
const json = (r: RecordedRequest): Record<string, unknown> => r.json as Record<string, unknown>;
const calls = (requests: RecordedRequest[]): string[] => requests.map((r) => `${r.method} ${r.path} ${r.status ?? 'dropped'}`);

describe('a sample hunt hit, end to end', () => {
  it('reaches all five services as documented, survives faults and restarts, updates on re-hit and follows ack and close', async () => {
    const w = await createWorld({}, { sampleData: true });
    await w.addAllSinks({ settings: { snow: { titleTemplate: 'Quarry {{severity}}: {{hunt}} [{{entities}}] x{{count}} ({{tactics}})' } } });
    const hunt = w.engine.hunts.get(SAMPLE_SPRAY);
    expect(hunt).toMatchObject({ name: 'Password spray against Entra ID from one address', severity: 'high' });

    const run = await w.engine.runner.run({ hunt: SAMPLE_SPRAY });
    expect(run).toMatchObject({ status: 'succeeded', rowCount: 1 });
    const [f, ...others] = w.findings().list();
    expect(others).toEqual([]);
    expect(f).toMatchObject({ huntId: SAMPLE_SPRAY, severity: 'high', status: 'new', hitCount: 1, tactics: ['CredentialAccess'], techniques: ['T1110.003'] });
    expect(f!.entities.map((e) => [e.column, e.value])).toEqual([['IPAddress', planted.sprayIp]]);

    // Quarry closes before anything is sent: the five deliveries wait in the store.
    await w.restart();
    expect((await w.api.deliveries.list({ state: 'pending' })).map((d) => d.sink).sort()).toEqual(['jira', 'pager', 'snow', 'soc-slack', 'soc-teams']);

    // ServiceNow files the incident but the answer is lost; PagerDuty throttles; Slack is down.
    w.sn.dropNext(1, (r) => r.method === 'POST');
    w.pd.failNext({ status: 429, body: { status: 'throttled', message: 'Requests for this service are arriving too quickly.' }, headers: { 'retry-after': '30' } });
    w.slack.failNext({ status: 503, body: 'service_unavailable' });
    expect(await w.findings().worker.drain()).toMatchObject({ attempted: 5, delivered: 2, retrying: 3, dead: 0 });
    await w.restart();
    w.clock.advance(5 * 60_000);
    expect(await w.findings().worker.drain()).toMatchObject({ attempted: 3, delivered: 3, dead: 0 });
    expect(await w.api.deliveries.list({ state: 'pending' })).toEqual([]);

    assertCreated(w, f!);

    // The next run an hour later sees the same spray: the same finding, updated everywhere, nothing new filed.
    w.clock.advance(60 * 60_000);
    await w.engine.runner.run({ hunt: SAMPLE_SPRAY });
    const again = w.findings().list();
    expect(again).toHaveLength(1);
    expect(again[0]).toMatchObject({ id: f!.id, hitCount: 2, correlationId: f!.correlationId });
    const before = { sn: w.sn.requests.length, jira: w.jira.requests.length, pd: w.pd.requests.length };
    expect(await w.findings().worker.drain()).toMatchObject({ attempted: 5, delivered: 5 });
    const incident = w.sn.incidents[0]!;
    expect(calls(w.sn.requests.slice(before.sn))).toEqual([`PATCH /api/now/table/incident/${incident.sys_id} 200`]);
    expect(json(w.sn.requests.at(-1)!)).toMatchObject({ urgency: '1', impact: '1', work_notes: expect.stringContaining('2 time(s)') });
    expect(calls(w.jira.requests.slice(before.jira))).toEqual([`POST /rest/api/3/issue/${w.jira.issues[0]!.id}/comment 201`]);
    expect(isAdfDoc(json(w.jira.requests.at(-1)!).body)).toBe(true);
    expect(w.pd.requests.slice(before.pd).map((r) => [json(r).event_action, json(r).dedup_key, r.status])).toEqual([['trigger', f!.correlationId, 202]]);
    expect(w.pd.alerts).toHaveLength(1);
    expect(w.pd.alerts[0]!.triggers).toHaveLength(2);
    expect([w.sn.incidents.length, w.jira.issues.length]).toEqual([1, 1]);
    expect(w.slack.messages.map((m) => m.text)).toEqual([expect.not.stringMatching(/^Seen again/), expect.stringMatching(/^Seen again \(2x\)/)]);
    expect(w.teams.posts).toHaveLength(2);

    // Acknowledged and closed in Quarry: the incident goes in progress then resolved, the alert acknowledged then
    // resolved, the issue through the configured transition and then to Done. Chat is not told.
    await w.api.findings.ack({ id: f!.id });
    await w.findings().worker.drain();
    expect(incident.state).toBe('2');
    expect(w.pd.alerts[0]!.status).toBe('acknowledged');
    expect(w.jira.issues[0]!.status).toBe('In Progress');
    await w.api.findings.close({ id: f!.id, reason: 'Blocked 185.220.101.47 at the edge.' });
    await w.findings().worker.drain();
    expect(incident).toMatchObject({ state: '6', close_code: 'Solution provided', close_notes: 'Blocked 185.220.101.47 at the edge.' });
    expect(w.pd.requests.slice(-2).map((r) => json(r).event_action)).toEqual(['acknowledge', 'resolve']);
    expect(w.pd.alerts[0]!.status).toBe('resolved');
    expect(w.jira.issues[0]!.status).toBe('Done');
    expect([w.slack.messages.length, w.teams.posts.length]).toEqual([2, 2]);
    expect((await w.api.deliveries.list()).every((d) => d.state === 'delivered')).toBe(true);
  }, 60_000);
});

/** The first delivery to each service, request by request, as its API documents it. */
function assertCreated(w: Awaited<ReturnType<typeof createWorld>>, f: Finding): void {
  // ServiceNow Table API: look up by correlation_id, create (answer lost), look up again and find it.
  expect(calls(w.sn.requests)).toEqual(['GET /api/now/table/incident 200', 'POST /api/now/table/incident dropped', 'GET /api/now/table/incident 200']);
  for (const r of w.sn.requests) {
    expect(basicCredentials(r.headers)).toEqual(['svc.quarry', SECRETS.snPassword]);
    expect(r.headers.accept).toBe('application/json');
  }
  expect(w.sn.requests[0]!.query.get('sysparm_query')).toBe(`correlation_id=${f.correlationId}^ORDERBYsys_created_on`);
  expect(w.sn.requests[1]!.headers['content-type']).toBe('application/json');
  expect(json(w.sn.requests[1]!)).toMatchObject({ urgency: '1', impact: '1', correlation_id: f.correlationId });
  expect(w.sn.incidents).toHaveLength(1);
  expect(w.sn.incidents[0]!.short_description).toBe(`Quarry high: Password spray against Entra ID from one address [IPAddress=${planted.sprayIp}] x1 (CredentialAccess)`);
  expect(w.sn.incidents[0]!.description).toContain(`Entities: IPAddress=${planted.sprayIp}`);

  // Jira Cloud REST v3: JQL search on the correlation label, then the issue with an ADF description.
  expect(calls(w.jira.requests)).toEqual(['POST /rest/api/3/search/jql 200', 'POST /rest/api/3/issue 201']);
  expect(json(w.jira.requests[0]!).jql).toBe(`project = "SEC" AND labels = "${f.correlationId}"`);
  const fields = json(w.jira.requests[1]!).fields as Record<string, unknown>;
  expect(fields).toMatchObject({ project: { key: 'SEC' }, issuetype: { name: 'Task' }, labels: ['quarry', `quarry-${f.dedupKey}`, f.correlationId] });
  expect(isAdfDoc(fields.description)).toBe(true);

  // PagerDuty Events API v2: a trigger keyed by the correlation id, throttled once, then accepted.
  expect(calls(w.pd.requests)).toEqual(['POST /v2/enqueue 429', 'POST /v2/enqueue 202']);
  const event = json(w.pd.requests[1]!);
  expect(event).toMatchObject({ routing_key: SECRETS.pdRoutingKey, event_action: 'trigger', dedup_key: f.correlationId });
  expect(event.payload).toMatchObject({ severity: 'critical', source: 'quarry-workstation', custom_details: { entities: { IPAddress: planted.sprayIp } } });
  expect(w.pd.alerts.map((a) => [a.dedupKey, a.status])).toEqual([[f.correlationId, 'triggered']]);

  // Slack incoming webhook: Block Kit, after one 503; Teams Workflows webhook: an Adaptive Card, 202 Accepted.
  expect(calls(w.slack.requests).map((c) => c.replace(/\/services\/\S+/, '/services/…'))).toEqual(['POST /services/… 503', 'POST /services/… 200']);
  const slack = json(w.slack.requests[1]!);
  expect(blocksValid(slack.blocks)).toBe(true);
  expect(slack.text).toContain(planted.sprayIp);
  expect(calls(w.teams.requests).map((c) => c.split(' ').pop())).toEqual(['202']);
  const attachment = (json(w.teams.requests[0]!).attachments as Array<{ contentType: string; content: unknown }>)[0]!;
  expect(attachment.contentType).toBe('application/vnd.microsoft.card.adaptive');
  expect(adaptiveCardValid(attachment.content)).toBe(true);
  expect(JSON.stringify(attachment.content)).toContain(planted.sprayIp);
}
