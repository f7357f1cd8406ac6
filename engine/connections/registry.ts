import { randomUUID } from 'node:crypto';
import type { Db } from '../store/db.js';
import type { Clock } from '../clock.js';
import { systemClock } from '../clock.js';
import type { Connection, ConnectionKind } from '../types.js';
import { QuarryError, errorMessage } from '../errors.js';
import { secretAccount, type SecretStore } from '../secrets/secret-store.js';
import { DEFAULT_LOCAL_CONNECTION, findConnection, getConnection, listConnections } from '../local-connections.js';
import type { SignInEvent, Source } from '../../connectors/sources/types.js';
import type { LogAnalyticsContext } from '../../connectors/sources/log-analytics/log-analytics-source.js';
import { defaultConnectionKinds, type ConnectionKindSpec, type ConnectionKinds } from './kinds.js';

export interface ConnectionRegistryDeps {
  db: Db;
  secrets: SecretStore;
  dataDir: string;
  clock?: Clock;
  /** Defaults to every kind this build supports; tests swap factories (e.g. to trust a fake's CA). */
  kinds?: ConnectionKinds;
  /** Where sign-in instructions (device code) and their outcome go. */
  onSignIn?: (event: SignInEvent) => void;
  /** False in the desktop app's engine: interactive browser sign-in is CLI-only (see credentials.ts). */
  browserSignIn?: boolean;
}

/** What `update` changes: settings merged over the stored ones, and settings dropped (back to their defaults). */
export interface SettingsChange {
  settings?: Record<string, unknown>;
  unset?: string[];
}

export interface SecretStatus {
  field: string;
  set: boolean;
  required: boolean;
}

export interface ConnectionTestResult {
  connection: string;
  kind: ConnectionKind;
  detail: string;
  durationMs: number;
}

const NAME = /^[A-Za-z0-9][A-Za-z0-9_.-]*$/;
// Setting names that smell of a secret, refused even where a kind's schema would not notice.
const SECRET_LIKE = /secret|password|passwd|pwd|token|apikey|api_key|credential|privatekey|private_key/i;

/**
 * The hunter's connections: non-secret settings in SQLite, every secret in
 * the SecretStore (the OS keychain in the app and CLI) under
 * "<connection-id>:<field>". Secret values are only ever written to the
 * store or handed to a source; they are never returned, logged, or put in
 * an error message.
 */
export class ConnectionRegistry {
  private readonly kinds: ConnectionKinds;
  private readonly clock: Clock;
  /** Connection id → its tests now running, so `cancelTest` can abort them. */
  private readonly testsInFlight = new Map<string, Set<AbortController>>();

  constructor(private readonly deps: ConnectionRegistryDeps) {
    this.kinds = deps.kinds ?? defaultConnectionKinds;
    this.clock = deps.clock ?? systemClock;
  }

  get supportedKinds(): ConnectionKind[] {
    return Object.keys(this.kinds) as ConnectionKind[];
  }

  /**
   * Checks a new connection's kind, name and settings without storing anything,
   * and says which secrets it takes: the CLI calls this before asking for one,
   * so a typo in a setting does not cost a retyped password.
   */
  plan(kind: string, name: string, settings: Record<string, unknown>): { settings: Record<string, unknown>; secretFields: readonly string[]; requiredSecrets: string[] } {
    const spec = this.newConnectionSpec(kind, name);
    const clean = this.validateSettings(spec, name, settings, {});
    return { settings: clean, secretFields: spec.secretFields, requiredSecrets: spec.requiredSecrets(clean) };
  }

  async add(kind: string, name: string, settings: Record<string, unknown>, secrets: Record<string, string> = {}): Promise<Connection> {
    const spec = this.newConnectionSpec(kind, name);
    const clean = this.validateSettings(spec, name, settings, secrets);
    for (const field of Object.keys(secrets)) this.checkSecretField(spec, name, field, secrets[field]);
    const missing = spec.requiredSecrets(clean).filter((f) => !secrets[f]);
    if (missing.length) {
      throw new QuarryError('invalid_input', `connection "${name}" needs ${missing.join(', ')} (a secret, read from standard input or a prompt)`);
    }

    const id = randomUUID();
    const written: string[] = [];
    try {
      for (const [field, value] of Object.entries(secrets)) {
        await this.deps.secrets.set(secretAccount(id, field), value);
        written.push(field);
      }
      const ts = this.clock.now().toISOString();
      this.deps.db
        .prepare('INSERT INTO connections (id, name, kind, settings, created_at, updated_at) VALUES (?, ?, ?, ?, ?, ?)')
        .run(id, name, kind, JSON.stringify(clean), ts, ts);
    } catch (err) {
      // Leave nothing behind: no keychain entries for a connection that was not stored, and the reverse.
      await Promise.all(written.map((f) => this.deps.secrets.delete(secretAccount(id, f)).catch(() => false)));
      if (err instanceof QuarryError) throw err;
      throw new QuarryError('internal', `could not add connection "${name}": ${errorMessage(err)}`);
    }
    return this.get(id);
  }

  /**
   * Changes a connection's non-secret settings with the checks `add` makes (the
   * kind's schema, no secret-like names, no stored secret's value); its
   * secrets in the keychain are left as they are.
   */
  async update(nameOrId: string, change: SettingsChange): Promise<Connection> {
    const c = this.get(nameOrId);
    const spec = this.spec(c.kind);
    const unset = new Set(change.unset ?? []);
    const both = Object.keys(change.settings ?? {}).filter((k) => unset.has(k));
    if (both.length) throw new QuarryError('invalid_input', `${both.join(', ')}: both set and unset for "${c.name}"`);
    const merged = Object.fromEntries(Object.entries({ ...c.settings, ...change.settings }).filter(([k]) => !unset.has(k)));
    const clean = this.validateSettings(spec, c.name, merged, await this.storedSecrets(c, spec));
    const ts = this.clock.now().toISOString();
    this.deps.db.prepare('UPDATE connections SET settings = ?, updated_at = ? WHERE id = ?').run(JSON.stringify(clean), ts, c.id);
    spec.forget?.(c.id);
    return this.get(c.id);
  }

  list(): Connection[] {
    return listConnections(this.deps.db);
  }

  get(nameOrId: string): Connection {
    return getConnection(this.deps.db, nameOrId);
  }

  /** Deletes the connection and all of its keychain entries; keychain first, so a failure there leaves it listed to retry. */
  async remove(nameOrId: string): Promise<{ name: string; secretsDeleted: number }> {
    const c = this.get(nameOrId);
    if (c.kind === 'local' && c.name === DEFAULT_LOCAL_CONNECTION) {
      throw new QuarryError('invalid_input', `"${DEFAULT_LOCAL_CONNECTION}" is the built-in offline log source and cannot be removed`);
    }
    // A kind with no secrets (local) never has keychain entries: removing it must not need a keychain.
    if (this.kinds[c.kind]?.secretFields.length === 0) {
      this.deps.db.prepare('DELETE FROM connections WHERE id = ?').run(c.id);
      return { name: c.name, secretsDeleted: 0 };
    }
    const prefix = `${c.id}:`;
    let deleted = 0;
    for (const account of await this.deps.secrets.accounts(prefix)) if (await this.deps.secrets.delete(account)) deleted++;
    const left = await this.deps.secrets.accounts(prefix);
    if (left.length) throw new QuarryError('internal', `could not delete ${left.length} keychain entr${left.length === 1 ? 'y' : 'ies'} of "${c.name}"; it was not removed`);
    this.deps.db.prepare('DELETE FROM connections WHERE id = ?').run(c.id);
    this.kinds[c.kind]?.forget?.(c.id);
    return { name: c.name, secretsDeleted: deleted };
  }

  /** Which secrets are set, from the keychain's account names only: values are never read for this. */
  async secretStatus(nameOrId: string): Promise<SecretStatus[]> {
    const c = this.get(nameOrId);
    const spec = this.spec(c.kind);
    if (spec.secretFields.length === 0) return [];
    const present = new Set((await this.deps.secrets.accounts(`${c.id}:`)).map((a) => a.slice(c.id.length + 1)));
    const required = new Set(spec.requiredSecrets(c.settings));
    return spec.secretFields.map((field) => ({ field, set: present.has(field), required: required.has(field) }));
  }

  async setSecret(nameOrId: string, field: string, value: string): Promise<void> {
    const c = this.get(nameOrId);
    this.checkSecretField(this.spec(c.kind), c.name, field, value);
    await this.deps.secrets.set(secretAccount(c.id, field), value);
    this.touch(c);
  }

  async clearSecret(nameOrId: string, field: string): Promise<boolean> {
    const c = this.get(nameOrId);
    const spec = this.spec(c.kind);
    if (!spec.secretFields.includes(field)) throw this.unknownSecret(spec, c.name, field);
    const deleted = await this.deps.secrets.delete(secretAccount(c.id, field));
    this.touch(c);
    return deleted;
  }

  /** A source for the connection, reading its secrets from the store when it needs them. */
  openSource(nameOrId: string): { connection: Connection; source: Source } {
    const connection = this.get(nameOrId);
    const spec = this.spec(connection.kind);
    const ctx: LogAnalyticsContext = {
      dataDir: this.deps.dataDir,
      secret: (field) => this.deps.secrets.get(secretAccount(connection.id, field)),
      ...(this.deps.onSignIn ? { onSignIn: this.deps.onSignIn } : {}),
      ...(this.deps.browserSignIn === false ? { browserSignIn: false } : {}),
    };
    return { connection, source: spec.factory(connection, ctx) };
  }

  /**
   * Opens the connection's source and runs its own check; failures name the
   * connection (the sources' messages already do). `signal` or `cancelTest`
   * aborts it (a sign-in waiting for a device code, a server that does not answer).
   */
  async test(nameOrId: string, signal?: AbortSignal): Promise<ConnectionTestResult> {
    const connection = this.get(nameOrId);
    const controller = new AbortController();
    const inFlight = this.testsInFlight.get(connection.id) ?? new Set<AbortController>();
    this.testsInFlight.set(connection.id, inFlight.add(controller));
    const aborted = signal ? AbortSignal.any([signal, controller.signal]) : controller.signal;
    const cancelled = (): QuarryError => new QuarryError('cancelled', `testing connection "${connection.name}" was cancelled`);
    try {
      const status = await this.secretStatus(connection.id);
      const missing = status.filter((s) => s.required && !s.set).map((s) => s.field);
      if (missing.length) {
        throw new QuarryError('invalid_input', `connection "${connection.name}" has no ${missing.join(', ')} set: store it with \`quarry connections set-secret ${connection.name} ${missing[0]}\``);
      }
      if (aborted.aborted) throw cancelled();
      const started = Date.now();
      const { source } = this.openSource(connection.id);
      try {
        const detail = await source.test(aborted);
        return { connection: connection.name, kind: connection.kind, detail, durationMs: Date.now() - started };
      } catch (err) {
        if (aborted.aborted) throw cancelled();
        if (err instanceof QuarryError && err.message.includes(`"${connection.name}"`)) throw err;
        const code = err instanceof QuarryError ? err.code : 'connection_failed';
        throw new QuarryError(code, `testing connection "${connection.name}" failed: ${errorMessage(err)}`);
      } finally {
        await source.close().catch(() => undefined);
      }
    } finally {
      inFlight.delete(controller);
      if (inFlight.size === 0) this.testsInFlight.delete(connection.id);
    }
  }

  /** Aborts this connection's tests now running (the app's Cancel button); false when none was. */
  cancelTest(nameOrId: string): boolean {
    const inFlight = this.testsInFlight.get(this.get(nameOrId).id);
    if (!inFlight?.size) return false;
    for (const controller of inFlight) controller.abort();
    return true;
  }

  private newConnectionSpec(kind: string, name: string): ConnectionKindSpec {
    const spec = this.spec(kind);
    if (!NAME.test(name)) throw new QuarryError('invalid_input', `invalid connection name "${name}": use letters, digits, -, _ and . (starting with a letter or digit)`);
    if (findConnection(this.deps.db, name)) throw new QuarryError('conflict', `a connection named "${name}" already exists`);
    return spec;
  }

  private spec(kind: string): ConnectionKindSpec {
    const spec = this.kinds[kind as ConnectionKind];
    if (!spec) {
      const known = this.supportedKinds.join(', ');
      throw new QuarryError('invalid_input', `connections of kind "${kind}" are not supported in this build (supported: ${known})`);
    }
    return spec;
  }

  private validateSettings(spec: ConnectionKindSpec, name: string, settings: Record<string, unknown>, secrets: Record<string, string>): Record<string, unknown> {
    const smuggled = Object.keys(settings).filter((k) => spec.secretFields.includes(k) || SECRET_LIKE.test(k));
    if (smuggled.length) {
      throw new QuarryError(
        'invalid_input',
        `${smuggled.join(', ')} ${smuggled.length === 1 ? 'is a secret' : 'are secrets'}: give ${smuggled.length === 1 ? 'it' : 'them'} as a secret (kept in the OS keychain), never as a setting (stored in plain text)`,
      );
    }
    let clean: Record<string, unknown>;
    try {
      clean = spec.parseSettings(settings, name);
    } catch (err) {
      throw new QuarryError('invalid_input', `invalid settings for ${spec.kind} connection "${name}": ${errorMessage(err)}`);
    }
    // A secret pasted into an ordinary setting would land in SQLite; refuse without repeating it.
    const stored = JSON.stringify(clean);
    for (const [field, value] of Object.entries(secrets)) {
      if (value.length >= 6 && stored.includes(JSON.stringify(value).slice(1, -1))) {
        throw new QuarryError('invalid_input', `the value of secret ${field} also appears in the settings of "${name}"; settings are stored in plain text, so it was refused`);
      }
    }
    return clean;
  }

  /** The connection's secrets, read only so that `validateSettings` can refuse one pasted into a setting. */
  private async storedSecrets(c: Connection, spec: ConnectionKindSpec): Promise<Record<string, string>> {
    if (spec.secretFields.length === 0) return {};
    const out: Record<string, string> = {};
    for (const account of await this.deps.secrets.accounts(`${c.id}:`)) {
      const value = await this.deps.secrets.get(account);
      if (value) out[account.slice(c.id.length + 1)] = value;
    }
    return out;
  }

  private checkSecretField(spec: ConnectionKindSpec, name: string, field: string, value: unknown): void {
    if (!spec.secretFields.includes(field)) throw this.unknownSecret(spec, name, field);
    if (typeof value !== 'string' || value.length === 0) throw new QuarryError('invalid_input', `secret ${field} of "${name}" is empty`);
  }

  private unknownSecret(spec: ConnectionKindSpec, name: string, field: string): QuarryError {
    const known = spec.secretFields.length ? spec.secretFields.join(', ') : 'none';
    return new QuarryError('invalid_input', `"${field}" is not a secret of ${spec.kind} connection "${name}" (its secrets: ${known})`);
  }

  private touch(c: Connection): void {
    this.deps.db.prepare('UPDATE connections SET updated_at = ? WHERE id = ?').run(this.clock.now().toISOString(), c.id);
    this.kinds[c.kind]?.forget?.(c.id);
  }
}
