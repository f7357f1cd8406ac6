import { QuarryError, errorMessage } from '../errors.js';
import type { SecretStore } from './secret-store.js';

/** The keychain service every Quarry secret is filed under. */
export const KEYCHAIN_SERVICE = 'Quarry';

type Keytar = typeof import('keytar');

let keytarModule: Promise<Keytar> | null = null;

/** Loaded on first use so that an engine without a working native keytar still starts (and says why on first secret access). */
function loadKeytar(): Promise<Keytar> {
  keytarModule ??= import('keytar').then((m) => ((m as { default?: Keytar }).default ?? m) as Keytar);
  return keytarModule;
}

/**
 * The OS keychain through keytar (libsecret's Secret Service on Linux,
 * Keychain on macOS, Credential Manager on Windows). Accounts are
 * "<connection-id>:<field>". Errors never carry the secret: keytar's own
 * messages only name the operation, and we add the account, not the value.
 */
export class KeytarSecretStore implements SecretStore {
  /** `service` is only overridden by tests, so they never touch a developer's real "Quarry" entries. */
  constructor(readonly service: string = KEYCHAIN_SERVICE) {}

  async get(account: string): Promise<string | null> {
    return this.call('read', account, (k) => k.getPassword(this.service, account));
  }

  async set(account: string, secret: string): Promise<void> {
    if (secret === '') throw new QuarryError('invalid_input', `an empty secret cannot be stored (${account})`);
    await this.call('store', account, (k) => k.setPassword(this.service, account, secret));
  }

  async delete(account: string): Promise<boolean> {
    return this.call('delete', account, (k) => k.deletePassword(this.service, account));
  }

  async accounts(prefix: string): Promise<string[]> {
    // findCredentials returns passwords too; only the names leave this function.
    const found = await this.call('list', `${prefix}*`, (k) => k.findCredentials(this.service));
    return found.map((c) => c.account).filter((a) => a.startsWith(prefix)).sort();
  }

  /** Resolves to a short description of the keychain if it answers; rejects with the reason otherwise. */
  async probe(): Promise<string> {
    await this.call('list', '*', (k) => k.findCredentials(this.service));
    return `OS keychain (service "${this.service}")`;
  }

  private async call<T>(verb: string, account: string, fn: (k: Keytar) => Promise<T>): Promise<T> {
    let keytar: Keytar;
    try {
      keytar = await loadKeytar();
    } catch (err) {
      keytarModule = null;
      throw new QuarryError('internal', `the OS keychain module (keytar) could not be loaded: ${errorMessage(err)}`);
    }
    try {
      return await fn(keytar);
    } catch (err) {
      throw new QuarryError(
        'internal',
        `could not ${verb} "${account}" in the OS keychain: ${errorMessage(err)} (on Linux a Secret Service such as gnome-keyring must be running and unlocked)`,
      );
    }
  }
}
