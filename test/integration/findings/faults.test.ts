import { describe, expect, it } from 'vitest';
import { createWorld, sprayHunt, type World } from './world.js';

/** One finding (grouping off) routed to one sink: each test follows a single delivery. */
async function oneDeliveryTo(w: World, sink: string): Promise<void> {
  await w.addAllSinks();
  await w.api.routes.set({ routes: [{ sink }] });
  await w.prepareSpray();
  await w.api.findingRules.set({ hunt: sprayHunt.id, rule: { groupBy: 'none' } });
}

const only = async (w: World) => {
  const list = await w.api.deliveries.list();
  expect(list).toHaveLength(1);
  return list[0]!;
};

describe('deliveries under faults', () => {
  it('a queued delivery survives a restart, and so does one that met a 503', async () => {
    const w = await createWorld();
    await oneDeliveryTo(w, 'snow');
    await w.runSpray();
    await w.restart(); // closed before anything was sent
    expect(await only(w)).toMatchObject({ state: 'pending', attempts: 0 });

    w.sn.failNext({ status: 503, body: { error: { message: 'Service Unavailable', detail: 'the instance is hibernating' }, status: 'failure' } });
    expect(await w.findings().worker.drain()).toMatchObject({ attempted: 1, retrying: 1 });
    expect(await only(w)).toMatchObject({ state: 'pending', attempts: 1, lastStatus: 503, lastError: 'ServiceNow answered 503: Service Unavailable - the instance is hibernating' });

    await w.restart();
    w.clock.advance(60 * 60_000);
    expect(await w.findings().worker.drain()).toMatchObject({ attempted: 1, delivered: 1 });
    expect(await only(w)).toMatchObject({ state: 'delivered', attempts: 2 });
    expect(w.sn.incidents).toHaveLength(1);
  });

  it('a permanent error (400, 401, 403, 404) is dead-lettered at once, shown, and can be retried', async () => {
    const w = await createWorld();
    await w.addAllSinks();
    await w.runSpray();
    w.sn.failNext({ status: 400, body: { error: { message: 'Invalid field value', detail: 'Invalid urgency: 9' }, status: 'failure' } }, 2);
    w.jira.failNext({ status: 401, body: { errorMessages: ['Client must be authenticated to access this resource.'], errors: {} } }, 2);
    w.teams.failNext({ status: 403, body: { error: { code: 'Forbidden', message: 'The flow is turned off.' } } }, 2);
    w.slack.failNext({ status: 404, body: 'no_service' }, 2);
    expect(await w.findings().worker.drain()).toMatchObject({ attempted: 10, delivered: 2, dead: 8, retrying: 0 });

    const dead = await w.api.deliveries.list({ state: 'dead' });
    expect(dead).toHaveLength(8);
    expect(dead.every((d) => d.attempts === 1)).toBe(true);
    expect(new Set(dead.map((d) => d.lastError))).toEqual(new Set([
      'ServiceNow answered 400: Invalid field value - Invalid urgency: 9',
      'Jira answered 401: Client must be authenticated to access this resource.',
      'the Teams webhook answered 403: Forbidden: The flow is turned off.',
      'the Slack webhook answered 404: no_service',
    ]));
    // Dead means no more tries, however long we wait.
    const sent = w.sn.requests.length;
    w.clock.advance(24 * 60 * 60_000);
    expect((await w.findings().worker.drain()).attempted).toBe(0);
    expect(w.sn.requests).toHaveLength(sent);

    // The user fixed the cause and retries the dead letters.
    const retried = await w.api.deliveries.retry({ allDead: true });
    expect(retried.every((d) => d.state === 'pending' && d.attempts === 0)).toBe(true);
    expect(await w.findings().worker.drain()).toMatchObject({ attempted: 8, delivered: 8 });
    expect(await w.api.deliveries.list({ state: 'dead' })).toHaveLength(0);
    expect(w.sn.incidents).toHaveLength(2);
    expect(w.jira.issues).toHaveLength(2);
    expect(w.slack.messages).toHaveLength(2);
  });

  it('a 429 waits exactly as long as Retry-After says (on the fake clock)', async () => {
    const w = await createWorld();
    await oneDeliveryTo(w, 'pager');
    await w.runSpray();
    w.pd.failNext({ status: 429, body: { status: 'throttled', message: 'Requests for this service are arriving too quickly.' }, headers: { 'retry-after': '120' } });
    const t0 = w.clock.now().getTime();
    expect(await w.findings().worker.drain()).toMatchObject({ attempted: 1, retrying: 1 });
    const waiting = await only(w);
    expect(waiting).toMatchObject({ state: 'pending', lastStatus: 429 });
    expect(Date.parse(waiting.nextAttemptAt!) - t0).toBe(120_000);

    w.clock.advance(119_000);
    expect((await w.findings().worker.drain()).attempted).toBe(0);
    expect(w.pd.requests).toHaveLength(1);
    w.clock.advance(1_000);
    expect(await w.findings().worker.drain()).toMatchObject({ attempted: 1, delivered: 1 });
    expect(w.pd.alerts).toHaveLength(1);
  });

  it('a Retry-After given as an HTTP date is read against the engine clock', async () => {
    const w = await createWorld();
    await oneDeliveryTo(w, 'soc-slack');
    await w.runSpray();
    const at = new Date(w.clock.now().getTime() + 45_000).toUTCString();
    w.slack.failNext({ status: 429, body: 'rate_limited', headers: { 'retry-after': at } });
    await w.findings().worker.drain();
    expect(Date.parse((await only(w)).nextAttemptAt!) - w.clock.now().getTime()).toBe(45_000);
  });

  it('5xx answers back off exponentially with jitter and dead-letter after the last attempt', async () => {
    const w = await createWorld({ policy: { maxAttempts: 4, baseDelayMs: 30_000, maxDelayMs: 3_600_000 } });
    await oneDeliveryTo(w, 'jira');
    await w.runSpray();
    w.jira.failNext({ status: 500, body: { errorMessages: ['Internal server error'], errors: {} } }, 4);
    const waits: number[] = [];
    for (let i = 0; i < 4; i++) {
      await w.findings().worker.drain();
      const d = await only(w);
      if (d.state === 'dead') break;
      const wait = Date.parse(d.nextAttemptAt!) - w.clock.now().getTime();
      waits.push(wait);
      w.clock.advance(wait);
    }
    // Equal jitter with random() = 0.5: three quarters of base * 2^(attempt-1).
    expect(waits).toEqual([22_500, 45_000, 90_000]);
    expect(await only(w)).toMatchObject({ state: 'dead', attempts: 4, lastError: 'Jira answered 500: Internal server error' });
    expect(w.jira.issues).toHaveLength(0);
  });

  it('a slow service times out, and the delivery goes through once it answers in time', async () => {
    const w = await createWorld();
    await w.addAllSinks();
    await w.api.sinks.add({ kind: 'servicenow', name: 'snow-impatient', settings: { instanceUrl: w.sn.url, username: 'svc.quarry', timeoutMs: 200 }, secrets: { password: 'sn-password' } });
    await w.api.routes.set({ routes: [{ sink: 'snow-impatient' }] });
    await w.prepareSpray();
    await w.api.findingRules.set({ hunt: sprayHunt.id, rule: { groupBy: 'none' } });
    await w.runSpray();
    w.sn.delayMs = 1_000;
    await w.findings().worker.drain();
    expect(await only(w)).toMatchObject({ state: 'pending', lastError: 'ServiceNow: no answer in time' });
    w.sn.delayMs = 0;
    w.clock.advance(60 * 60_000);
    expect(await w.findings().worker.drain()).toMatchObject({ delivered: 1 });
    expect(w.sn.incidents).toHaveLength(1);
  });
});
