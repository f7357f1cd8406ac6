import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { KeytarSecretStore } from '../../../engine/secrets/keytar-store.js';
import { errorMessage } from '../../../engine/errors.js';
import { openStore } from '../../../engine/store/db.js';
import { ConnectionRegistry } from '../../../engine/connections/registry.js';
import { tempDir } from '../../helpers/temp-dir.js';

/**
 * The OS keychain for real: libsecret talking to the Secret Service over
 * D-Bus. `scripts/with-keyring.sh` provides a private, unlocked
 * gnome-keyring for the run. In CI a missing Secret Service fails these
 * tests; on a developer machine without one they are skipped, saying why.
 */

// A service name of its own, so the test never reads or writes a developer's real "Quarry" entries.
const store = new KeytarSecretStore(`Quarry-test-${randomUUID()}`);

async function probe(): Promise<string | null> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error('the Secret Service did not answer within 10 s')), 10_000);
  });
  try {
    await Promise.race([store.probe(), timeout]);
    return null;
  } catch (err) {
    return errorMessage(err);
  } finally {
    clearTimeout(timer);
  }
}

const unavailable = await probe();
const inCi = Boolean(process.env.CI);
if (unavailable && !inCi) {
  console.warn(`[keytar] skipping the OS keychain tests: ${unavailable}. Run them with: scripts/with-keyring.sh npx vitest run test/unit/secrets`);
}

describe.skipIf(unavailable !== null && !inCi)('KeytarSecretStore against the real Secret Service', () => {
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
