import fs from 'node:fs';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { quarry, type CliResult } from '../../helpers/cli.js';
import { tempDir } from '../../helpers/temp-dir.js';
import { caPath } from '../fakes/tls/index.js';
import { DATABASE, PASSWORD, USER, startFake } from '../sql-server/helpers.js';
import { CLIENT_ID, CLIENT_SECRET, TENANT, WORKSPACE, startAzureFakes } from '../fakes/log-analytics/index.js';
import { testKeychain } from '../../helpers/keychain.js';

/**
 * `quarry connections …` as a user runs it: the real CLI in a child process,
 * the real OS keychain (scripts/with-keyring.sh gives a throwaway
 * gnome-keyring), the TDS and Azure fakes on loopback. Secrets go in on
 * standard input only; the tests look for them in the keychain (there) and
 * in the data directory and every line the CLI printed (not there).
 */

// A service name of its own (the CLI honours QUARRY_KEYCHAIN_SERVICE), so a developer's real "Quarry" entries are never touched.
const { service, store: keychain, unavailable, skip } = await testKeychain('connections CLI', 'test/integration/connections');

/** A CLI on a fresh data dir that records everything it printed. */
function cliOn(env: NodeJS.ProcessEnv = {}) {
  const dataDir = path.join(tempDir('quarry-conn-cli-'), 'data');
  const printed: string[] = [];
  const q = async (args: string[], stdin?: string): Promise<CliResult> => {
    const r = await quarry(['--data-dir', dataDir, ...args], { stdin, env: { QUARRY_KEYCHAIN_SERVICE: service, NODE_EXTRA_CA_CERTS: caPath, ...env } });
    printed.push(r.stdout, r.stderr);
    return r;
  };
  return { dataDir, printed, q };
}

/** Fails if `secret` is in any file under the data dir (quarry.db, its WAL, local logs) in any likely encoding. */
function expectNotOnDisk(dataDir: string, secret: string): void {
  const files = fs.readdirSync(dataDir, { recursive: true, withFileTypes: true }).filter((e) => e.isFile()).map((e) => path.join(e.parentPath, e.name));
  expect(files.map((f) => path.basename(f))).toContain('quarry.db');
  for (const file of files) {
    const bytes = fs.readFileSync(file);
    for (const encoding of ['utf8', 'utf16le', 'latin1'] as const) {
      expect(bytes.includes(Buffer.from(secret, encoding)), `secret found in ${file} (${encoding})`).toBe(false);
    }
  }
}

const huntYaml = (fields: Record<string, string>) => `${Object.entries(fields).map(([k, v]) => `${k}: ${v}`).join('\n')}\n`;

describe.skipIf(skip)('quarry connections with the OS keychain', () => {
  afterAll(async () => {
    if (unavailable) return;
    for (const account of await keychain.accounts('')) await keychain.delete(account);
  });

  it('adds a SQL Server connection with its password from standard input, tests it, runs a T-SQL hunt, and removes it with its keychain entry', async () => {
    if (unavailable) throw new Error(`no Secret Service is reachable (${unavailable}); in CI the tests must run under scripts/with-keyring.sh`);
    const server = await startFake({ columnTypes: { signins: { ts: 'datetime2', attempts: 'int' } } });
    try {
      server.db.exec('CREATE TABLE signins (upn, ts, attempts)');
      const insert = server.db.prepare('INSERT INTO signins VALUES (?, ?, ?)');
      insert.run('ana@contoso.com', '2026-03-01T08:00:00.000Z', 12);
      insert.run('bob@contoso.com', '2026-03-01T09:30:00.000Z', 1);
      insert.run('eve@contoso.com', '2026-03-02T10:00:00.000Z', 40);
      const { dataDir, printed, q } = cliOn();
      const settings = ['-s', `server=${server.host}`, '-s', `port=${server.port}`, '-s', `database=${DATABASE}`, '-s', 'encrypt=false', '-s', `user=${USER}`, '-s', 'connectTimeoutMs=5000'];

      // A password given as a setting is refused before anything is stored.
      const smuggled = await q(['connections', 'add', 'sql-server', 'leaky', ...settings, '-s', 'password=not-the-real-one'], PASSWORD);
      expect(smuggled.code).toBe(1);
      expect(smuggled.stderr).toContain('password is a secret');

      // As a script would: printf %s "$PW" | quarry connections add … (no trailing newline).
      const add = await q(['connections', 'add', 'sql-server', 'onprem-sql', ...settings], PASSWORD);
      expect(add).toMatchObject({ code: 0, stderr: '' });
      expect(add.stdout).toContain('Connection "onprem-sql" (SQL Server) added; its password is in the OS keychain.');

      const shown = await q(['connections', 'show', 'onprem-sql', '--json']);
      const conn = JSON.parse(shown.stdout) as { id: string; settings: Record<string, unknown>; secrets: unknown[] };
      expect(conn.settings).toMatchObject({ server: server.host, port: server.port, user: USER, encrypt: false, authentication: 'sql' });
      expect(conn.secrets).toEqual([{ field: 'password', set: true, required: true }, { field: 'clientSecret', set: false, required: false }]);
      expect((await q(['connections', 'show', 'onprem-sql'])).stdout).toMatch(/secrets \(OS keychain\):\n {2}password: set\n {2}clientSecret: not set\n$/);
      // The password is in the keychain, under "<connection id>:password", and only there.
      expect(await keychain.accounts(`${conn.id}:`)).toEqual([`${conn.id}:password`]);
      expect(await keychain.get(`${conn.id}:password`)).toBe(PASSWORD);

      const test = await q(['connections', 'test', 'onprem-sql']);
      expect(test).toMatchObject({ code: 0, stderr: '' });
      expect(test.stdout).toMatch(/^Connection "onprem-sql" works: .* at 127\.0\.0\.1:\d+, database "hunting", signed in as SQL login hunter, unencrypted \(\d+ ms\)\.\n$/);

      const yaml = path.join(tempDir(), 'risky.yaml');
      fs.writeFileSync(yaml, huntYaml({
        id: 'bbbbbbbb-0000-0000-0000-000000000001',
        name: 'Many sign-in attempts',
        language: 'tsql',
        connection: 'onprem-sql',
        query: "'SELECT upn, attempts FROM signins WHERE attempts >= @minAttempts ORDER BY upn'",
        parameters: '[{ name: minAttempts, type: int, default: 5 }]',
      }));
      expect((await q(['hunts', 'import', yaml])).code).toBe(0);
      const run = await q(['run', 'Many sign-in attempts', '--json']);
      expect(run.code).toBe(0);
      const body = JSON.parse(run.stdout);
      expect(body.run).toMatchObject({ status: 'succeeded', connection: 'onprem-sql', language: 'tsql', rowCount: 2, error: null });
      expect(body.rows).toEqual([['ana@contoso.com', 12], ['eve@contoso.com', 40]]);
      expect(server.stats.queries.at(-1)).toMatchObject({ kind: 'rpc' }); // the parameter went as a typed input
      expect(server.stats.logins.filter((l) => l.ok).every((l) => l.user === USER)).toBe(true);

      // A wrong password: a clear failure naming the connection, with neither password in it.
      const wrong = 'Wr0ng-pass-4c1d';
      expect((await q(['connections', 'set-secret', 'onprem-sql', 'password'], `${wrong}\n`)).stdout).toBe('Secret password of "onprem-sql" stored in the OS keychain.\n');
      const failed = await q(['connections', 'test', 'onprem-sql']);
      expect(failed.code).toBe(1);
      expect(failed.stderr).toContain('"onprem-sql"');
      expect(failed.stderr).toMatch(/login|password/i);
      expect(failed.stderr).not.toContain(wrong);
      expect((await q(['connections', 'set-secret', 'onprem-sql', 'password'], PASSWORD)).code).toBe(0);
      expect((await q(['connections', 'test', 'onprem-sql'])).code).toBe(0);
      expect(await keychain.get(`${conn.id}:password`)).toBe(PASSWORD);

      // Settings change without the password being typed again: it stays in the keychain and the next test signs in with it.
      const set = await q(['connections', 'set', 'onprem-sql', '-s', 'database=master', '--unset', 'connectTimeoutMs']);
      expect(set).toMatchObject({ code: 0, stderr: '', stdout: 'Connection "onprem-sql" updated (database, -connectTimeoutMs); its secrets are unchanged.\n' });
      expect(JSON.parse((await q(['connections', 'show', 'onprem-sql', '--json'])).stdout).settings).toMatchObject({ database: 'master', connectTimeoutMs: 15_000, user: USER });
      expect(await keychain.get(`${conn.id}:password`)).toBe(PASSWORD);
      expect((await q(['connections', 'test', 'onprem-sql'])).stdout).toContain('database "master"');
      const leaky = await q(['connections', 'set', 'onprem-sql', '-s', `password=${wrong}`]);
      expect(leaky.code).toBe(1);
      expect(leaky.stderr).toContain('password is a secret');
      expect((await q(['connections', 'set', 'onprem-sql'])).stderr).toContain('nothing to change');

      expectNotOnDisk(dataDir, PASSWORD);
      expectNotOnDisk(dataDir, wrong);

      const removed = await q(['connections', 'remove', 'onprem-sql']);
      expect(removed).toMatchObject({ code: 0, stdout: 'Connection "onprem-sql" removed (1 keychain entry deleted).\n' });
      expect(await keychain.accounts(`${conn.id}:`)).toEqual([]);
      expect(await keychain.get(`${conn.id}:password`)).toBeNull();
      expect((JSON.parse((await q(['connections', 'list', '--json'])).stdout) as Array<{ name: string }>).map((c) => c.name)).toEqual(['local']);

      for (const text of printed) {
        expect(text).not.toContain(PASSWORD);
        expect(text).not.toContain(wrong);
      }
    } finally {
      await server.close();
    }
  }, 180_000);

  it('adds a Log Analytics connection with its client secret from standard input, runs a KQL hunt, clears and removes it', async () => {
    if (unavailable) throw new Error(`no Secret Service is reachable (${unavailable}); in CI the tests must run under scripts/with-keyring.sh`);
    const fakes = await startAzureFakes();
    try {
      fakes.logs.on('SigninLogs', {
        table: {
          columns: [{ name: 'UserPrincipalName', type: 'string' }, { name: 'Failures', type: 'long' }],
          rows: [['ana@contoso.com', 31], ['eve@contoso.com', 57]],
        },
      });
      const { dataDir, printed, q } = cliOn();
      const settings = Object.entries(fakes.settings()).flatMap(([k, v]) => ['-s', `${k}=${String(v)}`]);

      const add = await q(['connections', 'add', 'log-analytics', 'sentinel', ...settings, '--json'], `${CLIENT_SECRET}\n`);
      expect(add.code).toBe(0);
      const conn = JSON.parse(add.stdout) as { id: string; kind: string; settings: Record<string, unknown> };
      expect(conn).toMatchObject({ kind: 'log-analytics', settings: { workspaceId: WORKSPACE, auth: 'client-secret' } });
      expect(await keychain.get(`${conn.id}:clientSecret`)).toBe(CLIENT_SECRET);

      const test = await q(['connections', 'test', 'sentinel', '--json']);
      expect(test.code).toBe(0);
      expect(JSON.parse(test.stdout)).toMatchObject({ connection: 'sentinel', kind: 'log-analytics' });
      expect(JSON.parse(test.stdout).detail).toContain(WORKSPACE);

      const yaml = path.join(tempDir(), 'spray.yaml');
      fs.writeFileSync(yaml, huntYaml({ name: 'Password spray', language: 'kql', connection: 'sentinel', query: "'SigninLogs | summarize Failures = count() by UserPrincipalName'" }));
      expect((await q(['hunts', 'import', yaml])).code).toBe(0);
      const run = await q(['run', 'Password spray', '--json']);
      expect(run.code).toBe(0);
      const body = JSON.parse(run.stdout);
      expect(body.run).toMatchObject({ status: 'succeeded', connection: 'sentinel', rowCount: 2 });
      expect(body.rows).toEqual([['ana@contoso.com', 31], ['eve@contoso.com', 57]]);

      expect((await q(['connections', 'clear-secret', 'sentinel', 'clientSecret'])).stdout).toBe('Secret clientSecret of "sentinel" deleted from the OS keychain.\n');
      expect(await keychain.get(`${conn.id}:clientSecret`)).toBeNull();
      expect((await q(['connections', 'show', 'sentinel'])).stdout).toContain('  clientSecret: NOT SET (required)\n');
      const untested = await q(['connections', 'test', 'sentinel']);
      expect(untested).toMatchObject({ code: 1 });
      expect(untested.stderr).toContain('connection "sentinel" has no clientSecret set');

      // Signing in as yourself needs no secret: the device code is printed on standard error.
      fakes.entra.addPublicClient(TENANT, CLIENT_ID, 'ana@contoso.com', 0);
      fakes.logs.grant('ana@contoso.com', [WORKSPACE]);
      expect((await q(['connections', 'set', 'sentinel', '-s', 'auth=device-code'])).stdout).toBe('Connection "sentinel" updated (auth); its secrets are unchanged.\n');
      const asMe = await q(['connections', 'test', 'sentinel']);
      expect(asMe.code).toBe(0);
      expect(asMe.stderr).toMatch(/open the page https:\/\/127\.0\.0\.1:\d+\/devicelogin and enter the code [0-9A-F-]{9}/);
      expect(asMe.stdout).toContain('signed in by device-code');
      const back = await q(['connections', 'update', 'sentinel', '-s', 'auth=client-secret']);
      expect(back.stdout).toContain('It now needs clientSecret: store it with `quarry connections set-secret sentinel clientSecret`.');

      expect((await q(['connections', 'set-secret', 'sentinel', 'clientSecret'], CLIENT_SECRET)).code).toBe(0);
      expectNotOnDisk(dataDir, CLIENT_SECRET);
      expect((await q(['connections', 'remove', 'sentinel'])).stdout).toBe('Connection "sentinel" removed (1 keychain entry deleted).\n');
      expect(await keychain.accounts(`${conn.id}:`)).toEqual([]);
      for (const text of printed) expect(text).not.toContain(CLIENT_SECRET);
    } finally {
      await fakes.close();
    }
  }, 180_000);
});

describe('quarry without a reachable OS keychain', () => {
  it('runs commands that need no secret, and says why a command that needs one failed', async () => {
    // A session bus that does not exist: keytar loads, but the Secret Service cannot be reached.
    const { q } = cliOn({ DBUS_SESSION_BUS_ADDRESS: 'unix:path=/nonexistent/quarry-test-bus', DISPLAY: undefined });
    expect((await q(['hunts', 'list', '--json'])).code).toBe(0);
    expect(await q(['connections', 'list'])).toMatchObject({ code: 0, stderr: '' });
    // A local connection has no secrets, so adding, showing and removing it never touches the keychain.
    expect(await q(['connections', 'add', 'local', 'firewall'])).toMatchObject({ code: 0, stdout: 'Connection "firewall" (local logs) added.\n' });
    expect((await q(['connections', 'show', 'firewall'])).stdout).toContain('file: local/firewall.db\nsecrets (OS keychain): none\n');
    expect(await q(['connections', 'remove', 'firewall'])).toMatchObject({ code: 0, stdout: 'Connection "firewall" removed (0 keychain entries deleted).\n' });

    const add = await q(['connections', 'add', 'sql-server', 'no-keychain', '-s', 'server=127.0.0.1', '-s', 'user=hunter'], PASSWORD);
    expect(add.code).toBe(1);
    expect(add.stderr).toMatch(/^quarry: could not store ".*:password" in the OS keychain: .*Secret Service/);
    expect(add.stderr).not.toContain(PASSWORD);
    // Nothing half-added: no connection without its secret.
    expect(JSON.parse((await q(['connections', 'list', '--json'])).stdout).map((c: { name: string }) => c.name)).toEqual(['local']);
  }, 60_000);
});
