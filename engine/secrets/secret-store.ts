/**
 * Where secrets live. The app and CLI use the OS keychain (keytar, service
 * "Quarry", account "<owner-id>:<field>"); tests that do not exercise the
 * keychain itself use the in-memory store. Nothing else may hold a secret.
 */
export interface SecretStore {
  get(account: string): Promise<string | null>;
  set(account: string, secret: string): Promise<void>;
  /** Resolves true when something was deleted. */
  delete(account: string): Promise<boolean>;
  /** Accounts (never secrets) whose name starts with `prefix`. */
  accounts(prefix: string): Promise<string[]>;
}

export const secretAccount = (ownerId: string, field: string): string => `${ownerId}:${field}`;

export class MemorySecretStore implements SecretStore {
  private readonly secrets = new Map<string, string>();
  async get(account: string): Promise<string | null> {
    return this.secrets.get(account) ?? null;
  }
  async set(account: string, secret: string): Promise<void> {
    this.secrets.set(account, secret);
  }
  async delete(account: string): Promise<boolean> {
    return this.secrets.delete(account);
  }
  async accounts(prefix: string): Promise<string[]> {
    return [...this.secrets.keys()].filter((a) => a.startsWith(prefix));
  }
}
