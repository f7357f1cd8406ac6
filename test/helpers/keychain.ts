import { randomUUID } from 'node:crypto';
import { KeytarSecretStore } from '../../engine/secrets/keytar-store.js';
import { errorMessage } from '../../engine/errors.js';

/**
 * The OS keychain for tests: a service name of its own (the CLI honours
 * QUARRY_KEYCHAIN_SERVICE), so a developer's real "Quarry" entries are never
 * touched, and whether a Secret Service answers at all.
 * `scripts/with-keyring.sh` provides a throwaway one; in CI a missing one
 * fails the tests, elsewhere they are skipped, saying why.
 */
export interface TestKeychain {
  service: string;
  store: KeytarSecretStore;
  /** Why the keychain cannot be used, or null when it can. */
  unavailable: string | null;
  /** Skip the tests: no Secret Service and not in CI. */
  skip: boolean;
}

export async function testKeychain(what: string, folder: string): Promise<TestKeychain> {
  const service = `Quarry-test-${randomUUID()}`;
  const store = new KeytarSecretStore(service);
  const unavailable = await probe(store);
  const skip = unavailable !== null && !process.env.CI;
  if (skip) console.warn(`[keytar] skipping the ${what} keychain tests: ${unavailable}. Run them with: scripts/with-keyring.sh npx vitest run ${folder}`);
  return { service, store, unavailable, skip };
}

async function probe(store: KeytarSecretStore): Promise<string | null> {
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
