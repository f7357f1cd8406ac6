import { describe, expect, it } from 'vitest';
import { createWorld, sprayHunt } from './world.js';
import type { FakeRequest } from './fake-http.js';

const snCreate = (r: FakeRequest): boolean => r.method === 'POST' && r.path === '/api/now/table/incident';
const jiraCreate = (r: FakeRequest): boolean => r.method === 'POST' && r.path === '/rest/api/3/issue';
const pdTrigger = (r: FakeRequest): boolean => (r.json as { event_action?: string } | undefined)?.event_action === 'trigger';

describe('no duplicate tickets whatever happens mid-delivery', () => {
  it('when the answer is lost after the ticket was made, the retry (after a restart) finds it instead of making another', async () => {
    const w = await createWorld();
    await w.addAllSinks();
    // Each service makes the ticket, then the connection drops before the answer reaches Quarry.
    w.sn.dropNext(2, snCreate);
    w.jira.dropNext(2, jiraCreate);
    w.pd.dropNext(2, pdTrigger);
    await w.runSpray();
    const first = await w.findings().worker.drain();
    expect(first).toMatchObject({ attempted: 10, delivered: 4, retrying: 6, dead: 0 });
    expect(w.sn.incidents).toHaveLength(2);
    expect(w.jira.issues).toHaveLength(2);
    expect(w.pd.alerts).toHaveLength(2);
    const waiting = await w.api.deliveries.list({ state: 'pending' });
    expect(waiting.map((d) => d.sinkKind).sort()).toEqual(['jira', 'jira', 'pagerduty', 'pagerduty', 'servicenow', 'servicenow']);
    expect(waiting.every((d) => d.attempts === 1 && /connection failed/.test(d.lastError ?? ''))).toBe(true);

    await w.restart();
    w.clock.advance(10 * 60_000);
    const second = await w.findings().worker.drain();
    expect(second).toMatchObject({ attempted: 6, delivered: 6 });

    // Still one incident, one issue and one alert per finding; the retries looked them up and recorded them.
    expect(w.sn.incidents).toHaveLength(2);
    expect(w.sn.requests.filter(snCreate)).toHaveLength(2);
    expect(w.jira.issues).toHaveLength(2);
    expect(w.jira.requests.filter(jiraCreate)).toHaveLength(2);
    expect(w.pd.alerts).toHaveLength(2);
    for (const f of w.findings().list()) {
      const detail = await w.api.findings.get({ id: f.id });
      const incident = w.sn.incidents.find((i) => i.correlation_id === f.correlationId)!;
      const issue = w.jira.issues.find((i) => i.labels.includes(f.correlationId))!;
      expect(detail.tickets.find((t) => t.sinkKind === 'servicenow')).toMatchObject({ externalId: incident.sys_id, key: incident.number });
      expect(detail.tickets.find((t) => t.sinkKind === 'jira')).toMatchObject({ externalId: issue.id, key: issue.key });
      expect(detail.deliveries.find((d) => d.sinkKind === 'servicenow')!.detail).toBe(`found ${incident.number} (already created)`);
    }

    // A later re-hit updates the incident that the lost answer never named.
    w.clock.advance(60 * 60_000);
    await w.runSpray();
    await w.findings().worker.drain();
    expect(w.sn.incidents).toHaveLength(2);
    expect(w.sn.requests.filter((r) => r.method === 'PATCH')).toHaveLength(2);
  });

  it('when the process dies between sending and recording, the delivery is retried after its lease and finds the ticket', async () => {
    const w = await createWorld();
    await w.addAllSinks();
    await w.api.routes.set({ routes: [{ sink: 'snow' }] });
    await w.prepareSpray();
    await w.api.findingRules.set({ hunt: sprayHunt.id, rule: { groupBy: 'none' } });
    const hold = w.sn.holdNext(snCreate);
    await w.runSpray();
    const draining = w.findings().worker.drain();
    await hold.reached; // the incident exists in ServiceNow; Quarry has not heard back
    w.engine.close(); // the crash: nothing after this point is recorded
    hold.release();
    await draining;
    expect(w.sn.incidents).toHaveLength(1);

    await w.restart();
    const [delivery] = await w.api.deliveries.list();
    expect(delivery).toMatchObject({ state: 'pending', attempts: 1, action: 'create' });
    // The row is still leased to the attempt that died: nothing is resent before the lease runs out.
    expect((await w.findings().worker.drain()).attempted).toBe(0);
    w.clock.advance(5 * 60_000);
    expect(await w.findings().worker.drain()).toMatchObject({ attempted: 1, delivered: 1 });
    expect(w.sn.incidents).toHaveLength(1);
    expect(w.sn.requests.filter(snCreate)).toHaveLength(1);
    const [finding] = w.findings().list();
    expect((await w.api.findings.get({ id: finding!.id })).tickets[0]).toMatchObject({ key: w.sn.incidents[0]!.number });
  });

  it('a close whose answer was lost is retried without failing on the ticket already closed', async () => {
    const w = await createWorld();
    await w.addAllSinks();
    await w.api.routes.set({ routes: [{ sink: 'jira' }, { sink: 'snow' }] });
    await w.prepareSpray();
    await w.api.findingRules.set({ hunt: sprayHunt.id, rule: { groupBy: 'none' } });
    await w.runSpray();
    await w.findings().worker.drain();
    const [finding] = w.findings().list();
    // Jira moves the issue to Done and ServiceNow resolves the incident, but neither answer arrives.
    w.jira.dropNext(1, (r) => r.method === 'POST' && r.path.endsWith('/transitions'));
    w.sn.dropNext(1, (r) => r.method === 'PATCH');
    await w.api.findings.close({ id: finding!.id, reason: 'pen test' });
    expect(await w.findings().worker.drain()).toMatchObject({ attempted: 2, retrying: 2 });
    expect(w.jira.issues[0]!.status).toBe('Done');
    expect(w.sn.incidents[0]!.state).toBe('6');

    w.clock.advance(10 * 60_000);
    expect(await w.findings().worker.drain()).toMatchObject({ attempted: 2, delivered: 2, dead: 0 });
    const resolves = (await w.api.deliveries.list({ findingId: finding!.id })).filter((d) => d.action === 'resolve');
    expect(resolves.map((d) => [d.sinkKind, d.state, d.detail]).sort()).toEqual([
      ['jira', 'delivered', `closed ${w.jira.issues[0]!.key}; no transition to Done offered`],
      ['servicenow', 'delivered', `resolved ${w.sn.incidents[0]!.number}`],
    ]);
    expect(w.jira.issues[0]!.transitions).toEqual(['31']);
    expect(w.jira.issues).toHaveLength(1);
    expect(w.sn.incidents).toHaveLength(1);
  });

  it('evaluating the same run twice changes nothing', async () => {
    const w = await createWorld();
    await w.addAllSinks();
    const run = await w.runSpray();
    const again = w.findings().evaluateRun(run.id);
    expect(again).toMatchObject({ triggered: true, created: [], updated: [], deliveriesQueued: 0 });
    expect(w.findings().list().every((f) => f.hitCount === 1)).toBe(true);
    expect(await w.api.deliveries.list()).toHaveLength(10);
  });
});
