import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { QuarryError } from '../../../engine/errors.js';
import { sqlServerSettingsSchema, requiredSqlServerSecrets } from '../../../connectors/sources/sql-server/sql-server-source.js';
import type { TdsTestServer } from '../fakes/tds/index.js';
import { DATABASE, PASSWORD, USER, collect, failure, fakeSource, startFake } from './helpers.js';

let server: TdsTestServer;
beforeEach(async () => {
  server = await startFake();
});
afterEach(async () => {
  await server.close();
});

describe('SQL Server sign-in against the TDS test server', () => {
  it('signs in with the SQL login from the keychain and says what it reached', async () => {
    const source = fakeSource(server);
    try {
      const description = await source.test();
      expect(description).toContain('Microsoft SQL Server 2022');
      expect(description).toContain(`127.0.0.1:${server.port}`);
      expect(description).toContain(`database "${DATABASE}"`);
      expect(description).toContain(`SQL login ${USER}`);
      // mssql signs in once to check the settings, then once more for the pooled connection.
      for (const login of server.stats.logins) {
        expect(login).toEqual({ user: USER, database: DATABASE, appName: 'Quarry', tls: 'none', packetSize: 4096, ok: true });
      }
      // The connection test is the documented one.
      expect(server.stats.queries.map((q) => q.sql)).toContain('SELECT @@VERSION');
    } finally {
      await source.close();
    }
  });

  it('reuses the pooled connection for the next run instead of signing in again', async () => {
    const source = fakeSource(server);
    try {
      await collect(source, 'SELECT 1');
      const signIns = server.stats.logins.length;
      await collect(source, 'SELECT 2');
      await collect(source, 'SELECT 3');
      expect(server.stats.logins).toHaveLength(signIns);
      expect(server.stats.queries.filter((q) => /^SELECT \d$/.test(q.sql))).toHaveLength(3);
    } finally {
      await source.close();
    }
  });

  it('reports a wrong password as error 18456 naming the connection and the login, without any password', async () => {
    const wrong = `Wrong-${PASSWORD}`;
    const source = fakeSource(server, { secret: wrong });
    try {
      for (const attempt of [source.test(), collect(source, 'SELECT 1')]) {
        const err = await failure(attempt);
        expect(err).toBeInstanceOf(QuarryError);
        expect(err.code).toBe('connection_failed');
        expect(err.message).toContain(`Login failed for user '${USER}'.`);
        expect(err.message).toContain('"onprem-sql"');
        expect(err.message).toContain(`127.0.0.1:${server.port}`);
        expect(err.message).not.toContain(wrong);
        expect(err.message).not.toContain(PASSWORD);
      }
      // The fake really checked the de-obfuscated password (and hung up, as SQL Server does).
      expect(server.stats.logins.every((l) => !l.ok && l.user === USER)).toBe(true);
    } finally {
      await source.close();
    }
  });

  it('signs in after a failed attempt once the right password is stored', async () => {
    let secret = 'not-it';
    const source = fakeSource(server, { secret: () => secret });
    try {
      expect((await failure(source.test())).code).toBe('connection_failed');
      secret = PASSWORD;
      await expect(source.test()).resolves.toContain('Microsoft SQL Server');
    } finally {
      await source.close();
    }
  });

  it('says which secret is missing when the keychain has none', async () => {
    const source = fakeSource(server, { secret: null });
    const err = await failure(collect(source, 'SELECT 1'));
    expect(err.code).toBe('invalid_input');
    expect(err.message).toContain('connection "onprem-sql" has no password in the keychain');
    expect(server.stats.connections).toBe(0);
  });

  it('passes on the server refusing a database (error 4060)', async () => {
    const source = fakeSource(server, { settings: { database: 'payroll' } });
    const err = await failure(source.test());
    expect(err.code).toBe('connection_failed');
    expect(err.message).toContain('Cannot open database "payroll" requested by the login. The login failed.');
  });

  it('offers Windows (NTLM) sign-in as integrated security, which this server turns down with 18452', async () => {
    const source = fakeSource(server, { settings: { authentication: 'ntlm', domain: 'CONTOSO' } });
    const err = await failure(source.test());
    expect(err.code).toBe('connection_failed');
    expect(err.message).toContain('cannot be used with Integrated authentication');
    expect(err.message).not.toContain(PASSWORD);
  });

  it('offers an Entra ID service principal as federated authentication, which this server turns down', async () => {
    const source = fakeSource(server, {
      settings: { authentication: 'entra-service-principal', user: undefined, tenantId: 'contoso.onmicrosoft.com', clientId: '00000000-0000-0000-0000-00000000c1d0' },
    });
    const err = await failure(source.test());
    expect(err.code).toBe('connection_failed');
    expect(err.message).toContain('does not accept Entra ID tokens');
    expect(err.message).not.toContain(PASSWORD);
  });
});

describe('SQL Server settings', () => {
  const base = { server: 'sql01.contoso.local', user: 'hunter' };

  it('fills defaults and refuses secrets as settings', () => {
    expect(sqlServerSettingsSchema.parse(base)).toMatchObject({ encrypt: true, trustServerCertificate: false, authentication: 'sql', connectTimeoutMs: 15_000 });
    expect(sqlServerSettingsSchema.safeParse({ ...base, password: PASSWORD }).success).toBe(false);
    expect(sqlServerSettingsSchema.safeParse({ ...base, clientSecret: 'x' }).success).toBe(false);
  });

  it('asks for what each kind of sign-in needs', () => {
    const issues = (s: Record<string, unknown>) => sqlServerSettingsSchema.safeParse(s).error?.issues.map((i) => i.path.join('.')) ?? [];
    expect(issues({ server: 'x' })).toEqual(['user']);
    expect(issues({ server: 'x', authentication: 'ntlm', user: 'u' })).toEqual(['domain']);
    expect(issues({ server: 'x', authentication: 'entra-service-principal' })).toEqual(['tenantId', 'clientId']);
    expect(issues({ server: 'sql01\\HUNT', user: 'u' })).toEqual(['server']);
    expect(requiredSqlServerSecrets({ authentication: 'entra-service-principal' })).toEqual(['clientSecret']);
    expect(requiredSqlServerSecrets({})).toEqual(['password']);
  });
});
