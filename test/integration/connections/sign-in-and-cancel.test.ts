import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { tempDir } from '../../helpers/temp-dir.js';
import { Engine, type EngineOptions } from '../../../engine/engine.js';
import { createDispatcher, type Dispatch } from '../../../engine/dispatch.js';
import type { SignInEvent } from '../../../connectors/sources/types.js';
import { createLogAnalyticsSource } from '../../../connectors/sources/log-analytics/log-analytics-source.js';
import { CLIENT_SECRET, TENANT, WORKSPACE, startAzureFakes, type AzureFakes } from '../fakes/log-analytics/index.js';

/**
 * What the app relies on for Log Analytics sign-in and for its "Cancel" on a
 * connection test: the engine API and its events, as every transport carries
 * them, against the Entra and Log Analytics fakes.
 */

let fakes: AzureFakes;
beforeAll(async () => {
  fakes = await startAzureFakes();
});
afterAll(async () => {
  await fakes.close();
});

const engines: Engine[] = [];
afterAll(() => {
  for (const e of engines.splice(0)) e.close();
});

async function engineOn(azure: AzureFakes, opts: Partial<EngineOptions> = {}): Promise<{ engine: Engine; call: Dispatch; events: SignInEvent[] }> {
  const engine = await Engine.open({
    dataDir: tempDir(),
    sampleData: false,
    sources: { 'log-analytics': (c, ctx) => createLogAnalyticsSource(c, ctx, { agent: azure.agent }) },
    ...opts,
  });
  engines.push(engine);
  const events: SignInEvent[] = [];
  engine.events.on('connection.signIn', (e: SignInEvent) => events.push(e));
  return { engine, call: createDispatcher(engine), events };
}

/** A public client the hunter signs in through; the Entra fake answers "authorization pending" `pendingPolls` times. */
function deviceCodeApp(clientId: string, user: string, pendingPolls: number): Record<string, unknown> {
  fakes.entra.addPublicClient(TENANT, clientId, user, pendingPolls);
  fakes.logs.grant(user, [WORKSPACE]);
  return fakes.settings({ auth: 'device-code', clientId });
}

const nextSignIn = (engine: Engine): Promise<SignInEvent> => new Promise((resolve) => engine.events.once('connection.signIn', resolve));

describe('device-code sign-in from any client', () => {
  it('sends the code to every client as connection.signIn, then that the hunter signed in', async () => {
    const printed: SignInEvent[] = [];
    const { call, events } = await engineOn(fakes, { onSignIn: (e) => printed.push(e) });
    await call('connections.add', { kind: 'log-analytics', name: 'sentinel-me', settings: deviceCodeApp('aaaaaaaa-1111-4000-8000-000000000001', 'ana@contoso.com', 1) });

    const r = (await call('connections.test', { connection: 'sentinel-me' })) as { detail: string };
    expect(r.detail).toContain('signed in by device-code');
    expect(events).toEqual([
      {
        state: 'waiting',
        connection: 'sentinel-me',
        verificationUri: `${fakes.entra.url}/devicelogin`,
        userCode: expect.stringMatching(/^[0-9A-F-]{9}$/),
        message: expect.stringContaining('/devicelogin and enter the code'),
      },
      { state: 'finished', connection: 'sentinel-me', signedIn: true },
    ]);
    const waiting = events[0] as Extract<SignInEvent, { state: 'waiting' }>;
    expect(waiting.message).toContain(waiting.userCode);
    // The CLI's callback gets the same (it prints the waiting message on standard error).
    expect(printed).toEqual(events);
    const token = [...fakes.entra.tokens.values()].at(-1)!;
    expect(token.user).toBe('ana@contoso.com');
  });

  it('cancels a test that waits for the hunter to enter the code', async () => {
    const { engine, call, events } = await engineOn(fakes);
    await call('connections.add', { kind: 'log-analytics', name: 'never-entered', settings: deviceCodeApp('aaaaaaaa-1111-4000-8000-000000000002', 'bob@contoso.com', 1_000_000) });
    expect(await call('connections.cancelTest', { connection: 'never-entered' })).toEqual({ cancelled: false });

    const shown = nextSignIn(engine);
    const test = call('connections.test', { connection: 'never-entered' }).catch((e: unknown) => e);
    expect(await shown).toMatchObject({ state: 'waiting', connection: 'never-entered' });
    expect(await call('connections.cancelTest', { connection: 'never-entered' })).toEqual({ cancelled: true });

    expect(await test).toMatchObject({ code: 'cancelled', message: 'testing connection "never-entered" was cancelled' });
    expect(events.at(-1)).toEqual({ state: 'finished', connection: 'never-entered', signedIn: false });
    expect(await call('connections.cancelTest', { connection: 'never-entered' })).toEqual({ cancelled: false });
  });

  it('refuses interactive browser sign-in where the engine may not launch a browser (the app), before calling Entra', async () => {
    const { call } = await engineOn(fakes, { browserSignIn: false });
    await call('connections.add', { kind: 'log-analytics', name: 'browser', settings: fakes.settings({ auth: 'interactive-browser' }) });
    const before = fakes.entra.requests.length;
    const err = (await call('connections.test', { connection: 'browser' }).catch((e: unknown) => e)) as { code: string; message: string };
    expect(err.code).toBe('invalid_input');
    expect(err.message).toBe('connection "browser" signs in with an interactive browser, which only the quarry CLI can do: in the app, switch it to device code sign-in (Edit, Sign-in method)');
    expect(fakes.entra.requests.length).toBe(before);
  });
});

describe('cancelling a connection test', () => {
  it('aborts a test whose Log Analytics answer never finishes, and leaves other connections alone', async () => {
    // Fakes of their own: every connection test query on them stalls after the table header.
    const stalled = await startAzureFakes();
    try {
      stalled.logs.on('connection test', { table: { columns: [{ name: 'Quarry', type: 'string' }], rows: [['connection test']] }, stallAfterRows: 0 });
      const { call } = await engineOn(stalled);
      const add = (name: string) => call('connections.add', { kind: 'log-analytics', name, settings: stalled.settings(), secrets: { clientSecret: CLIENT_SECRET } });
      await add('slow-la');
      await add('other-la');

      const test = call('connections.test', { connection: 'slow-la' }).catch((e: unknown) => e);
      const other = call('connections.test', { connection: 'other-la' }).catch((e: unknown) => e);
      await vi.waitFor(() => expect(stalled.logs.requests).toHaveLength(2), { timeout: 20_000 });
      expect(await call('connections.cancelTest', { connection: 'slow-la' })).toEqual({ cancelled: true });
      expect(await test).toMatchObject({ code: 'cancelled', message: 'testing connection "slow-la" was cancelled' });

      // The other test was still running (cancelTest finds it in flight) until it was cancelled too.
      expect(await call('connections.cancelTest', { connection: 'other-la' })).toEqual({ cancelled: true });
      expect(await other).toMatchObject({ code: 'cancelled' });
    } finally {
      await stalled.close();
    }
  });
});
