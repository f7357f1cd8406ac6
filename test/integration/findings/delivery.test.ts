import { describe, expect, it } from 'vitest';
import { createWorld, SPRAY_IPS, sprayHunt, type World } from './world.js';
import { basicCredentials } from './fake-http.js';
import { isAdfDoc } from '../fakes/jira/index.js';
import type { Finding } from '../../../engine/findings/types.js';

/** The text of an ADF document, one line per paragraph. */
const adfText = (doc: unknown): string =>
  ((doc as { content: Array<{ content: Array<{ text: string }> }> }).content).map((p) => p.content.map((t) => t.text).join('')).join('\n');

const findingFor = (w: World, ip: string): Finding => {
  const f = w.findings().list().find((x) => x.entities.some((e) => e.value === ip));
  if (!f) throw new Error(`no finding for ${ip}`);
  return f;
};

describe('a hunt hit reaches every sink as the documented requests', () => {
  it('opens one finding per entity group and delivers it to ServiceNow, Jira, PagerDuty, Slack and Teams', async () => {
    const w = await createWorld();
    await w.addAllSinks();
    const created: Finding[] = [];
    w.api.on('finding.created', (f) => created.push(f));

    const run = await w.runSpray();
    expect(run.status).toBe('succeeded');
    expect(run.rowCount).toBe(2);
    // One finding per spraying IP (the entity group), not one per row; the hunt's severity and ATT&CK carried over.
    const findings = w.findings().list();
    expect(findings.map((f) => f.entities.map((e) => e.value)).sort()).toEqual(SPRAY_IPS.map((ip) => [ip]).sort());
    expect(created.map((f) => f.id).sort()).toEqual(findings.map((f) => f.id).sort());
    const f = findingFor(w, SPRAY_IPS[0]!);
    expect(f).toMatchObject({ status: 'new', severity: 'medium', hitCount: 1, rowCount: 1, tactics: ['CredentialAccess'], techniques: ['T1110.003'] });
    expect(f.entities).toEqual([{ column: 'IPAddress', value: SPRAY_IPS[0], entityType: 'IP', identifier: 'Address' }]);
    await expect(w.api.findingRules.get({ hunt: sprayHunt.id })).resolves.toMatchObject({ source: 'hunt', rule: { trigger: { operator: 'gt', threshold: 0 } } });

    // Queued in the same transaction as the finding: 2 findings x 5 sinks, nothing sent yet.
    const queued = await w.api.deliveries.list({ state: 'pending' });
    expect(queued).toHaveLength(10);
    expect(w.sn.requests).toHaveLength(0);

    const drained = await w.findings().worker.drain();
    expect(drained).toMatchObject({ attempted: 10, delivered: 10, retrying: 0, dead: 0 });

    // ServiceNow: look up by correlation_id first, then create the incident.
    const snCalls = w.sn.requests.filter((r) => (r.json as { correlation_id?: string } | undefined)?.correlation_id === f.correlationId || r.query.get('sysparm_query')?.includes(f.correlationId));
    expect(snCalls.map((r) => r.method)).toEqual(['GET', 'POST']);
    expect(snCalls[0]!.query.get('sysparm_query')).toBe(`correlation_id=${f.correlationId}^ORDERBYsys_created_on`);
    expect(basicCredentials(snCalls[1]!.headers)).toEqual(['svc.quarry', 'sn-password']);
    expect(snCalls[1]!.path).toBe('/api/now/table/incident');
    const incident = w.sn.incidents.find((i) => i.correlation_id === f.correlationId)!;
    expect(incident).toMatchObject({ urgency: '2', impact: '2', state: '1' });
    expect(incident.short_description).toBe(`[Quarry] medium: ${sprayHunt.name} (IPAddress=${SPRAY_IPS[0]})`);
    expect(incident.description).toContain('ATT&CK techniques: T1110.003');
    expect(incident.description).toContain(`Report: quarry://findings/${f.id}`);

    // Jira: JQL on the correlation label, then an issue with an ADF description and labels carrying the dedup key.
    const issue = w.jira.issues.find((i) => i.labels.includes(f.correlationId))!;
    expect(issue.labels).toEqual(expect.arrayContaining(['quarry', `quarry-${f.dedupKey}`, f.correlationId]));
    expect(isAdfDoc(issue.description)).toBe(true);
    const jql = w.jira.requests.filter((r) => r.path === '/rest/api/3/search/jql').map((r) => (r.json as { jql: string }).jql);
    expect(jql).toContain(`project = "SEC" AND labels = "${f.correlationId}"`);
    const jiraOrder = w.jira.requests.filter((r) => JSON.stringify(r.json ?? '').includes(f.correlationId)).map((r) => r.path);
    expect(jiraOrder).toEqual(['/rest/api/3/search/jql', '/rest/api/3/issue']);

    // PagerDuty: a trigger event whose dedup_key is the correlation id.
    const [alert] = w.pd.alertsFor(f.correlationId);
    expect(alert).toMatchObject({ status: 'triggered', severity: 'error' });
    const trigger = alert!.triggers[0] as { routing_key: string; payload: { source: string; custom_details: { entities: object } } };
    expect(trigger.routing_key).toBe('R0UT1NGKEY0000000000000000000001');
    expect(trigger.payload.source).toBe('quarry-workstation');
    expect(trigger.payload.custom_details.entities).toEqual({ IPAddress: SPRAY_IPS[0] });

    // Slack: Block Kit with a header and fields; Teams: an Adaptive Card, answered 202.
    expect(w.slack.messages).toHaveLength(2);
    const slack = w.slack.messages.find((m) => m.text?.includes(SPRAY_IPS[0]!))!;
    expect(slack.blocks[0]).toMatchObject({ type: 'header', text: { type: 'plain_text' } });
    expect(JSON.stringify(slack.blocks)).toContain('*Severity*\\nmedium');
    expect(w.teams.posts).toHaveLength(2);
    expect(w.teams.posts.every((p) => p.via === 'workflow')).toBe(true);
    expect(w.teams.requests.every((r) => r.status === 202)).toBe(true);

    // The finding knows its tickets.
    const detail = await w.api.findings.get({ id: f.id });
    expect(detail.tickets.map((t) => [t.sinkKind, t.key])).toEqual(expect.arrayContaining([
      ['servicenow', incident.number], ['jira', issue.key], ['pagerduty', f.correlationId],
    ]));
    expect(detail.deliveries.every((d) => d.state === 'delivered')).toBe(true);
  });

  it('updates instead of creating when the same activity shows up again, and follows acknowledge and close', async () => {
    const w = await createWorld();
    await w.addAllSinks();
    await w.runSpray();
    await w.findings().worker.drain();
    const first = findingFor(w, SPRAY_IPS[0]!);

    w.clock.advance(60 * 60_000); // the next scheduled run, an hour later: within the default one-day window
    await w.runSpray();
    const again = findingFor(w, SPRAY_IPS[0]!);
    expect(again.id).toBe(first.id);
    expect(w.findings().list()).toHaveLength(2);
    expect(again).toMatchObject({ hitCount: 2, rowCount: 2, firstSeen: first.firstSeen });
    expect(again.lastSeen > first.lastSeen).toBe(true);
    expect(again.runIds).toHaveLength(2);

    await w.findings().worker.drain();
    // One incident, one issue, one alert: updated, commented, triggered again under the same dedup_key.
    const incidents = w.sn.incidents.filter((i) => i.correlation_id === first.correlationId);
    expect(incidents).toHaveLength(1);
    expect(w.sn.requests.filter((r) => r.method === 'PATCH')).toHaveLength(2);
    expect(w.sn.workNotes(incidents[0]!.sys_id)[0]).toContain('2 time(s)');
    const issues = w.jira.issues.filter((i) => i.labels.includes(first.correlationId));
    expect(issues).toHaveLength(1);
    expect(adfText(issues[0]!.comments[0])).toContain('Seen again by Quarry: 2 time(s)');
    expect(w.pd.alertsFor(first.correlationId)).toHaveLength(1);
    expect(w.pd.alertsFor(first.correlationId)[0]!.triggers).toHaveLength(2);
    // Chat cannot edit what a webhook posted: a new message says it is a re-hit.
    expect(w.slack.messages).toHaveLength(4);
    expect(w.slack.messages.some((m) => m.text?.startsWith('Seen again (2x)'))).toBe(true);
    expect(w.teams.posts).toHaveLength(4);

    await w.api.findings.ack({ id: first.id, note: 'looking into it' });
    await w.findings().worker.drain();
    expect(incidents[0]!.state).toBe('2');
    expect(w.pd.alertsFor(first.correlationId)[0]!.status).toBe('acknowledged');
    expect(issues[0]!.status).toBe('In Progress'); // the configured ackTransitionId

    await w.api.findings.close({ id: first.id, reason: 'blocked at the firewall' });
    await w.findings().worker.drain();
    expect(incidents[0]).toMatchObject({ state: '6', close_code: 'Solution provided', close_notes: 'blocked at the firewall' });
    // No closeTransitionId: the transition Jira offers into a Done-category status.
    expect(issues[0]!.status).toBe('Done');
    expect(issues[0]!.transitions).toEqual(['21', '31']);
    expect(w.pd.alertsFor(first.correlationId)[0]!.status).toBe('resolved');
    expect(w.slack.messages).toHaveLength(4); // acknowledging and closing are not chat news
    const detail = await w.api.findings.get({ id: first.id });
    expect(detail.status).toBe('closed');
    expect(detail.notes.map((n) => n.text)).toEqual(['looking into it', 'Closed: blocked at the firewall']);
    await expect(w.api.findings.close({ id: first.id })).rejects.toThrow(`finding ${first.id} is closed`);

    // Closed is closed: the same activity again opens a new finding with a ticket of its own.
    w.clock.advance(60 * 60_000);
    await w.runSpray();
    await w.findings().worker.drain();
    const reopened = findingFor(w, SPRAY_IPS[0]!);
    expect(reopened.id).not.toBe(first.id);
    expect(reopened.dedupKey).toBe(first.dedupKey);
    expect(w.sn.incidents.filter((i) => i.correlation_id === reopened.correlationId)).toHaveLength(1);
    expect(w.pd.alertsFor(reopened.correlationId)).toHaveLength(1);
  });

  it('outside the dedup window a re-hit opens a new finding', async () => {
    const w = await createWorld();
    await w.runSpray();
    await w.api.findingRules.set({ hunt: sprayHunt.id, rule: { dedupWindowMinutes: 30, groupBy: 'none' } });
    w.clock.advance(10 * 60_000);
    await w.runSpray();
    const single = w.findings().list().filter((f) => f.entities.length === 0);
    expect(single).toHaveLength(1);
    w.clock.advance(31 * 60_000);
    await w.runSpray();
    expect(w.findings().list().filter((f) => f.entities.length === 0)).toHaveLength(2);
  });

  it('started, the worker delivers in the background as findings are queued, and reports each delivery', async () => {
    const w = await createWorld();
    await w.addAllSinks();
    const delivered = new Promise<number[]>((resolve) => {
      const ids: number[] = [];
      w.api.on('delivery.status', (e) => {
        if (e.state === 'delivered') ids.push(e.deliveryId);
        if (ids.length === 10) resolve(ids);
      });
    });
    w.findings().worker.start();
    try {
      await w.runSpray(); // queues 10 deliveries and wakes the worker
      expect((await delivered).sort((a, b) => a - b)).toEqual((await w.api.deliveries.list()).map((d) => d.id).sort((a, b) => a - b));
    } finally {
      w.findings().worker.stop();
    }
    expect(w.sn.incidents).toHaveLength(2);
  });

  it('sends the legacy MessageCard when a Teams sink is set to it', async () => {
    const w = await createWorld();
    await w.addAllSinks({ teamsFormat: 'messagecard' });
    await w.runSpray();
    await w.findings().worker.drain();
    expect(w.teams.posts).toHaveLength(2);
    expect(w.teams.posts[0]).toMatchObject({ via: 'connector', card: { '@type': 'MessageCard', themeColor: 'F8A800' } });
  });
});
