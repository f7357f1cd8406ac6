import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { randomUUID } from 'node:crypto';
import { openStore } from '../../../engine/store/db.js';
import { ConnectionRegistry } from '../../../engine/connections/registry.js';
import { tempDir } from '../../helpers/temp-dir.js';
import { testKeychain } from '../../helpers/keychain.js';

/**
 * The OS keychain for real: libsecret talking to the Secret Service over
 * D-Bus. `scripts/with-keyring.sh` provides a private, unlocked
 * gnome-keyring for the run. In CI a missing Secret Service fails these
 * tests; on a developer machine without one they are skipped, saying why.
 */

const { store, unavailable, skip } = await testKeychain('OS keychain', 'test/unit/secrets');

describe.skipIf(skip)('KeytarSecretStore against the real Secret Service', () => {
  beforeAll(() => {
    if (unavailable) {
      throw new Error(`no Secret Service is reachable (${unavailable}); in CI the tests must run under scripts/with-keyring.sh`);
    }
  });

  afterAll(async () => {
    if (unavailable) return;
    for (const account of await store.accounts('')) await store.delete(account);
  });

  it('sets, gets, lists and deletes secrets', async () => {
    const id = randomUUID();
    const secret = `s3cr3t-${randomUUID()} with spaces, "quotes" and ünïcode ✓`;
    expect(await store.get(`${id}:clientSecret`)).toBeNull();
    await store.set(`${id}:clientSecret`, secret);
    await store.set(`${id}:password`, 'second');
    expect(await store.get(`${id}:clientSecret`)).toBe(secret);

    // Names only: accounts() never returns a secret.
    const accounts = await store.accounts(`${id}:`);
    expect(accounts).toEqual([`${id}:clientSecret`, `${id}:password`]);
    expect(JSON.stringify(accounts)).not.toContain(secret);

    await store.set(`${id}:clientSecret`, 'replaced');
    expect(await store.get(`${id}:clientSecret`)).toBe('replaced');
    expect(await store.delete(`${id}:clientSecret`)).toBe(true);
    expect(await store.delete(`${id}:clientSecret`)).toBe(false);
    expect(await store.get(`${id}:clientSecret`)).toBeNull();
    expect(await store.accounts(`${id}:`)).toEqual([`${id}:password`]);
  });

  it('keeps accounts of different owners apart', async () => {
    const a = randomUUID();
    const b = randomUUID();
    await store.set(`${a}:clientSecret`, 'for a');
    await store.set(`${b}:clientSecret`, 'for b');
    expect(await store.accounts(`${a}:`)).toEqual([`${a}:clientSecret`]);
    expect(await store.get(`${b}:clientSecret`)).toBe('for b');
  });

  it("removing a connection removes its keychain entries, and only those", async () => {
    const dataDir = tempDir();
    const db = openStore(dataDir);
    try {
      const registry = new ConnectionRegistry({ db, secrets: store, dataDir });
      const settings = { tenantId: 'contoso.onmicrosoft.com', clientId: randomUUID(), workspaceId: randomUUID() };
      const gone = await registry.add('log-analytics', 'to-remove', settings, { clientSecret: `gone-${randomUUID()}` });
      const kept = await registry.add('log-analytics', 'to-keep', settings, { clientSecret: `kept-${randomUUID()}` });
      expect(await store.accounts(`${gone.id}:`)).toEqual([`${gone.id}:clientSecret`]);
      expect(await registry.secretStatus('to-remove')).toEqual([{ field: 'clientSecret', set: true, required: true }]);

      expect(await registry.remove('to-remove')).toEqual({ name: 'to-remove', secretsDeleted: 1 });
      expect(await store.accounts(`${gone.id}:`)).toEqual([]);
      expect(await store.get(`${gone.id}:clientSecret`)).toBeNull();
      expect(await store.accounts(`${kept.id}:`)).toEqual([`${kept.id}:clientSecret`]);
    } finally {
      db.close();
    }
  });

  it('refuses an empty secret', async () => {
    await expect(store.set(`${randomUUID()}:clientSecret`, '')).rejects.toThrow(/empty secret/);
  });
});
