import type { SecretStore } from '../secrets/secret-store.js';
import { KEYCHAIN_SERVICE, KeytarSecretStore } from '../secrets/keytar-store.js';

/**
 * The secret store of the CLI and the app's engine process: the OS keychain
 * (keytar). keytar is only loaded when a secret is first touched, so commands
 * that need none (`quarry hunts list`) work without a Secret Service, and
 * those that do fail saying the keychain is unreachable.
 * QUARRY_KEYCHAIN_SERVICE files entries under another service name than
 * "Quarry" (tests, so they never touch a user's real entries).
 */
export async function createCliSecretStore(env: NodeJS.ProcessEnv = process.env): Promise<SecretStore> {
  return new KeytarSecretStore(env.QUARRY_KEYCHAIN_SERVICE?.trim() || KEYCHAIN_SERVICE);
}
