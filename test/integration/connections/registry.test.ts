import fs from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { tempDir } from '../../helpers/temp-dir.js';
import { openStore, type Db } from '../../../engine/store/db.js';
import { MemorySecretStore } from '../../../engine/secrets/secret-store.js';
import { ConnectionRegistry } from '../../../engine/connections/registry.js';
import { defaultConnectionKinds, logAnalyticsKind } from '../../../engine/connections/kinds.js';
import { ensureLocalConnection } from '../../../engine/local-connections.js';
import { connectionApiSchemas, connectionHandlers } from '../../../engine/connections/api.js';
import { createLogAnalyticsSource } from '../../../connectors/sources/log-analytics/log-analytics-source.js';
import { CLIENT_SECRET, OTHER_WORKSPACE, WORKSPACE, startAzureFakes, type AzureFakes } from '../fakes/log-analytics/index.js';

let fakes: AzureFakes;
let dataDir: string;
let db: Db;
let secrets: MemorySecretStore;
let registry: ConnectionRegistry;

beforeAll(async () => {
  fakes = await startAzureFakes();
});
afterAll(async () => {
  await fakes.close();
});
beforeEach(() => {
  dataDir = tempDir();
  db = openStore(dataDir);
  secrets = new MemorySecretStore();
  registry = new ConnectionRegistry({
    db,
    secrets,
    dataDir,
    // The real Log Analytics source, trusting the fakes' test CA.
    kinds: { ...defaultConnectionKinds, 'log-analytics': { ...logAnalyticsKind, factory: (c, ctx) => createLogAnalyticsSource(c, ctx, { agent: fakes.agent }) } },
  });
  return () => db.open && db.close();
});

/** Every byte under a directory, as one buffer per file. */
function filesUnder(dir: string): Array<{ file: string; bytes: Buffer }> {
  return fs.readdirSync(dir, { recursive: true, withFileTypes: true })
    .filter((e) => e.isFile())
    .map((e) => {
      const file = path.join(e.parentPath ?? (e as unknown as { path: string }).path, e.name);
      return { file, bytes: fs.readFileSync(file) };
    });
}

function expectNowhereOnDisk(secret: string): void {
  const files = filesUnder(dataDir);
  expect(files.map((f) => path.basename(f.file))).toContain('quarry.db');
  for (const { file, bytes } of files) {
    for (const encoding of ['utf8', 'utf16le', 'latin1'] as const) {
      expect(bytes.includes(Buffer.from(secret, encoding)), `${secret} found in ${file} (${encoding})`).toBe(false);
    }
  }
}

describe('ConnectionRegistry', () => {
  it('keeps settings in SQLite and the client secret only in the secret store', async () => {
    const c = await registry.add('log-analytics', 'sentinel-prod', fakes.settings(), { clientSecret: CLIENT_SECRET });
    expect(c.settings).toMatchObject({ workspaceId: WORKSPACE, auth: 'client-secret', additionalWorkspaces: [] });
    expect(await secrets.accounts(`${c.id}:`)).toEqual([`${c.id}:clientSecret`]);
    expect(await secrets.get(`${c.id}:clientSecret`)).toBe(CLIENT_SECRET);

    const tested = await registry.test('sentinel-prod');
    expect(tested.detail).toContain(WORKSPACE);
    expect(await registry.secretStatus('sentinel-prod')).toEqual([{ field: 'clientSecret', set: true, required: true }]);

    // While the store is open (WAL and shared memory on disk) and after it is closed.
    expectNowhereOnDisk(CLIENT_SECRET);
    db.close();
    expectNowhereOnDisk(CLIENT_SECRET);
  });

  it('lists and finds connections by name or id, never with secrets', async () => {
    const c = await registry.add('log-analytics', 'la-1', fakes.settings(), { clientSecret: CLIENT_SECRET });
    expect(registry.get(c.id).name).toBe('la-1');
    expect(registry.get('la-1').id).toBe(c.id);
    expect(JSON.stringify(registry.list())).not.toContain(CLIENT_SECRET);
    expect(registry.list().map((x) => x.name)).toEqual(['la-1']);
  });

  it('refuses a secret given as a setting, without repeating it', async () => {
    for (const settings of [
      fakes.settings({ clientSecret: CLIENT_SECRET }),
      fakes.settings({ password: CLIENT_SECRET }),
      fakes.settings({ workspaceId: CLIENT_SECRET }),
    ]) {
      const err = await registry.add('log-analytics', 'leaky', settings, { clientSecret: CLIENT_SECRET }).catch((e: Error) => e);
      expect(err).toBeInstanceOf(Error);
      expect((err as Error).message).toMatch(/secret|refused/);
      expect((err as Error).message).not.toContain(CLIENT_SECRET);
    }
    expect(registry.list()).toEqual([]);
    expect(await secrets.accounts('')).toEqual([]);
    expectNowhereOnDisk(CLIENT_SECRET);
  });

  it('validates settings per kind and names what is wrong', async () => {
    await expect(registry.add('log-analytics', 'bad', { tenantId: 't', clientId: 'c' }, { clientSecret: 'x' })).rejects.toThrow(
      /invalid settings for log-analytics connection "bad": workspaceId: Required/,
    );
    await expect(registry.add('log-analytics', 'bad', fakes.settings({ colour: 'blue' }), { clientSecret: 'x' })).rejects.toThrow(/Unrecognized key.*colour/);
    await expect(registry.add('log-analytics', 'bad', fakes.settings({ auth: 'magic' }), {})).rejects.toThrow(/auth: Invalid enum value/);
    await expect(registry.add('log-analytics', 'bad name!', fakes.settings(), { clientSecret: 'x' })).rejects.toThrow(/invalid connection name/);
    await expect(registry.add('sql-server', 'mssql', {}, {})).rejects.toThrow(/invalid settings for sql-server connection "mssql": server: Required/);
    await expect(registry.add('oracle', 'ora', {}, {})).rejects.toThrow(/kind "oracle" are not supported in this build \(supported: local, log-analytics, sql-server\)/);
    await expect(registry.add('log-analytics', 'no-secret', fakes.settings(), {})).rejects.toThrow(/needs clientSecret/);
    await expect(registry.add('log-analytics', 'odd', fakes.settings(), { clientSecret: 'x', apiKey: 'y' })).rejects.toThrow(/"apiKey" is not a secret/);
    expect(registry.list()).toEqual([]);
  });

  it('rejects a second connection with the same name', async () => {
    await registry.add('log-analytics', 'dup', fakes.settings(), { clientSecret: CLIENT_SECRET });
    await expect(registry.add('log-analytics', 'dup', fakes.settings(), { clientSecret: CLIENT_SECRET })).rejects.toMatchObject({ code: 'conflict' });
  });

  it('sets and clears secrets, reporting only whether they are set', async () => {
    const c = await registry.add('log-analytics', 'rotate', fakes.settings(), { clientSecret: 'Old~Secret-1' });
    await registry.setSecret('rotate', 'clientSecret', CLIENT_SECRET);
    expect(await secrets.get(`${c.id}:clientSecret`)).toBe(CLIENT_SECRET);
    await expect(registry.test('rotate')).resolves.toMatchObject({ connection: 'rotate' });

    expect(await registry.clearSecret('rotate', 'clientSecret')).toBe(true);
    expect(await registry.secretStatus('rotate')).toEqual([{ field: 'clientSecret', set: false, required: true }]);
    await expect(registry.test('rotate')).rejects.toThrow(/"rotate" has no clientSecret set: store it with `quarry connections set-secret rotate clientSecret`/);
    await expect(registry.setSecret('rotate', 'password', 'x')).rejects.toThrow(/"password" is not a secret of log-analytics/);
  });

  it('reports a failing test with the connection name and without the secret', async () => {
    const wrong = 'Wrong~Secret-value.42';
    await registry.add('log-analytics', 'wrong-secret', fakes.settings(), { clientSecret: wrong });
    const err = (await registry.test('wrong-secret').catch((e: Error) => e)) as Error & { code: string };
    expect(err.code).toBe('connection_failed');
    expect(err.message).toContain('"wrong-secret"');
    expect(err.message).toContain('AADSTS7000215');
    expect(err.message).not.toContain(wrong);
  });

  it('removes a connection together with its keychain entries', async () => {
    const c = await registry.add('log-analytics', 'gone', fakes.settings(), { clientSecret: CLIENT_SECRET });
    const keep = await registry.add('log-analytics', 'kept', fakes.settings(), { clientSecret: 'Another~Secret-9' });
    expect(await registry.remove('gone')).toEqual({ name: 'gone', secretsDeleted: 1 });
    expect(await secrets.accounts(`${c.id}:`)).toEqual([]);
    expect(await secrets.get(`${c.id}:clientSecret`)).toBeNull();
    expect(() => registry.get('gone')).toThrow(/connection not found: gone/);
    expect(await secrets.accounts(`${keep.id}:`)).toEqual([`${keep.id}:clientSecret`]);
  });

  it('updates settings through the kind schema, leaving the secrets as they are', async () => {
    const c = await registry.add('log-analytics', 'edit-me', fakes.settings({ serverTimeoutSeconds: 60 }), { clientSecret: CLIENT_SECRET });
    const updated = await registry.update('edit-me', { settings: { workspaceId: OTHER_WORKSPACE, additionalWorkspaces: [WORKSPACE] }, unset: ['serverTimeoutSeconds'] });
    expect(updated.settings).toMatchObject({ workspaceId: OTHER_WORKSPACE, additionalWorkspaces: [WORKSPACE], endpoint: fakes.logs.url, auth: 'client-secret' });
    expect(updated.settings).not.toHaveProperty('serverTimeoutSeconds');
    expect(registry.get(c.id).settings).toEqual(updated.settings);
    expect(await secrets.accounts(`${c.id}:`)).toEqual([`${c.id}:clientSecret`]);
    expect(await secrets.get(`${c.id}:clientSecret`)).toBe(CLIENT_SECRET);
    // The next test signs in with the kept secret and queries the new workspaces.
    expect((await registry.test('edit-me')).detail).toContain(`${OTHER_WORKSPACE} (+1 more)`);
    expect(fakes.logs.requests.at(-1)).toMatchObject({ workspace: OTHER_WORKSPACE, body: { workspaces: [WORKSPACE] } });

    // Signing in as yourself: the client secret stays in the keychain, no longer required.
    await registry.update('edit-me', { settings: { auth: 'device-code' } });
    expect(await registry.secretStatus('edit-me')).toEqual([{ field: 'clientSecret', set: true, required: false }]);
  });

  it('refuses an update that the kind schema or the secret checks refuse, and keeps the stored settings', async () => {
    const c = await registry.add('log-analytics', 'guarded', fakes.settings(), { clientSecret: CLIENT_SECRET });
    const before = registry.get(c.id);
    const refused = async (change: Parameters<ConnectionRegistry['update']>[1]): Promise<string> => {
      const err = (await registry.update('guarded', change).catch((e: Error) => e)) as Error & { code?: string };
      expect(err).toBeInstanceOf(Error);
      expect(err.code).toBe('invalid_input');
      expect(err.message).not.toContain(CLIENT_SECRET);
      return err.message;
    };
    expect(await refused({ settings: { clientSecret: CLIENT_SECRET } })).toMatch(/clientSecret is a secret/);
    expect(await refused({ settings: { apiToken: 'abc' } })).toMatch(/apiToken is a secret/);
    expect(await refused({ settings: { colour: 'blue' } })).toMatch(/invalid settings for log-analytics connection "guarded": .*Unrecognized key.*colour/);
    expect(await refused({ settings: { endpoint: 'http://plain.example' } })).toMatch(/endpoint: must be an https:\/\/ URL/);
    expect(await refused({ unset: ['workspaceId'] })).toMatch(/workspaceId: Required/);
    expect(await refused({ settings: { workspaceId: WORKSPACE }, unset: ['workspaceId'] })).toMatch(/workspaceId: both set and unset/);
    // The stored client secret pasted into an ordinary setting would land in SQLite.
    expect(await refused({ settings: { tenantId: CLIENT_SECRET } })).toMatch(/the value of secret clientSecret also appears in the settings of "guarded"/);
    expect(registry.get(c.id)).toEqual(before);
    expectNowhereOnDisk(CLIENT_SECRET);
    await expect(registry.update('nope', { settings: {} })).rejects.toThrow(/connection not found: nope/);
  });

  it('adds local connections with their file and keeps the built-in one', async () => {
    const c = await registry.add('local', 'firewall-logs', {});
    expect(c.settings).toEqual({ file: 'local/firewall-logs.db' });
    await expect(registry.test('firewall-logs')).rejects.toThrow(/testing connection "firewall-logs" failed: local log database not found/);
    ensureLocalConnection(db, 'local', new Date());
    await expect(registry.remove('local')).rejects.toThrow(/built-in offline log source/);
  });

  it('serves the connections API with secrets write-only', async () => {
    const api = connectionHandlers(registry);
    const added = await api['connections.add'](
      connectionApiSchemas['connections.add'].parse({ kind: 'log-analytics', name: 'via-api', settings: fakes.settings(), secrets: { clientSecret: CLIENT_SECRET } }),
    );
    const shown = await api['connections.get']({ connection: 'via-api' });
    expect(shown).toMatchObject({ id: added.id, name: 'via-api', secrets: [{ field: 'clientSecret', set: true, required: true }] });
    await expect(api['connections.test']({ connection: 'via-api' })).resolves.toMatchObject({ connection: 'via-api', kind: 'log-analytics' });
    expect(await api['connections.clearSecret']({ connection: 'via-api', field: 'clientSecret' })).toEqual({ connection: 'via-api', field: 'clientSecret', deleted: true });
    expect(await api['connections.setSecret']({ connection: 'via-api', field: 'clientSecret', value: CLIENT_SECRET })).toEqual({ connection: 'via-api', field: 'clientSecret', set: true });
    for (const result of [added, shown, await api['connections.secretStatus']({ connection: 'via-api' })]) {
      expect(JSON.stringify(result)).not.toContain(CLIENT_SECRET);
    }
    expect(connectionApiSchemas['connections.setSecret'].safeParse({ connection: 'via-api', field: 'clientSecret', value: '' }).success).toBe(false);
    const updated = await api['connections.update'](connectionApiSchemas['connections.update'].parse({ connection: 'via-api', settings: { serverTimeoutSeconds: 30 } }));
    expect(updated).toMatchObject({ name: 'via-api', settings: { serverTimeoutSeconds: 30 }, secrets: [{ field: 'clientSecret', set: true, required: true }] });
    expect(JSON.stringify(updated)).not.toContain(CLIENT_SECRET);
    expect(await api['connections.remove']({ connection: 'via-api' })).toEqual({ name: 'via-api', secretsDeleted: 1 });
  });
});
