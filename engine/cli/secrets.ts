import type { SecretStore } from '../secrets/secret-store.js';
import { MemorySecretStore } from '../secrets/secret-store.js';

/** The CLI's secret store: the OS keychain once it is wired in; in-memory until then. */
export async function createCliSecretStore(): Promise<SecretStore> {
  return new MemorySecretStore();
}
