import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CLIENT_SECRET, TENANT, WORKSPACE, startAzureFakes, type AzureFakes } from '../fakes/log-analytics/index.js';
import { collect, failure, laSource } from './helpers.js';
import type { SignInEvent } from '../../../connectors/sources/types.js';

let fakes: AzureFakes;
beforeAll(async () => {
  fakes = await startAzureFakes();
  fakes.logs.on('AuditLogs', { table: { columns: [{ name: 'n', type: 'int' }], rows: [[7]] } });
});
afterAll(async () => {
  await fakes.close();
});

describe('Log Analytics sign-in through @azure/identity against the Entra fake', () => {
  it('signs in a service principal with the client secret from the keychain, over TLS, with the OpenID metadata', async () => {
    const before = fakes.entra.requests.length;
    const r = await collect(laSource(fakes), 'AuditLogs');
    expect(r.rows).toEqual([[7]]);
    const calls = fakes.entra.requests.slice(before);
    expect(calls.map((c) => `${c.method} ${c.path}`)).toEqual([
      `GET /${TENANT}/v2.0/.well-known/openid-configuration`,
      `POST /${TENANT}/oauth2/v2.0/token`,
    ]);
    expect(calls[1]!.form).toMatchObject({ grant_type: 'client_credentials', client_secret: CLIENT_SECRET });
    // The audience follows the endpoint (the fake stands in for a sovereign cloud), unless set.
    expect(calls[1]!.form.scope).toBe(`${fakes.logs.url}/.default`);
  });

  it('asks for the configured audience', async () => {
    const before = fakes.entra.requests.length;
    await collect(laSource(fakes, { settings: { audience: 'https://api.loganalytics.io' } }), 'AuditLogs');
    const token = fakes.entra.requests.slice(before).find((c) => c.path.endsWith('/token'))!;
    expect(token.form.scope).toBe('https://api.loganalytics.io/.default');
  });

  it('reuses the token across runs of the same connection', async () => {
    const source = laSource(fakes);
    await collect(source, 'AuditLogs');
    const before = fakes.entra.requests.length;
    await collect(source, 'AuditLogs');
    expect(fakes.entra.requests.length).toBe(before);
  });

  it('signs a hunter in with a device code, showing the instructions', async () => {
    const clientId = '04b07795-8ddb-461a-bbee-02f9e1bf7b46';
    fakes.entra.addPublicClient(TENANT, clientId, 'hunter@contoso.com', 1);
    fakes.logs.grant('hunter@contoso.com', [WORKSPACE]);
    const events: SignInEvent[] = [];
    const r = await collect(
      laSource(fakes, { settings: { auth: 'device-code', clientId }, secret: null, options: { onSignIn: (e) => events.push(e) } }),
      'AuditLogs',
    );
    expect(r.rows).toEqual([[7]]);
    expect(events).toHaveLength(2);
    const [waiting, finished] = events;
    expect(waiting).toMatchObject({ state: 'waiting', connection: 'sentinel-prod', verificationUri: `${fakes.entra.url}/devicelogin`, userCode: expect.stringMatching(/^[0-9A-F-]{9}$/) });
    expect(waiting!.state === 'waiting' && waiting!.message).toMatch(/open the page https:\/\/127\.0\.0\.1:\d+\/devicelogin and enter the code [0-9A-F-]{9}/);
    expect(finished).toEqual({ state: 'finished', connection: 'sentinel-prod', signedIn: true });
    const token = [...fakes.entra.tokens.values()].at(-1)!;
    expect(token.user).toBe('hunter@contoso.com');
  });

  it('names an unknown application in the sign-in error', async () => {
    const err = await failure(collect(laSource(fakes, { settings: { clientId: 'not-registered' } }), 'AuditLogs'));
    expect(err.message).toMatch(/sign-in for "sentinel-prod" \(client-secret, tenant 72f988bf.*AADSTS700016/);
  });

  it('rejects plain-http endpoints in the settings', () => {
    expect(() => laSource(fakes, { settings: { endpoint: 'http://127.0.0.1:1' } })).toThrow(/endpoint: must be an https:\/\/ URL/);
  });
});
