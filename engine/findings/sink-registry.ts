import { randomUUID } from 'node:crypto';
import type { Db } from '../store/db.js';
import type { Clock } from '../clock.js';
import { QuarryError, errorMessage, notFound } from '../errors.js';
import { secretAccount, type SecretStore } from '../secrets/secret-store.js';
import { sinkKindEntries, type SinkKindEntry } from '../../connectors/sinks/index.js';
import { sinkKinds, type SinkDriver, type SinkKind } from '../../connectors/sinks/types.js';
import type { HttpClient } from '../../connectors/http/http-client.js';
import { unknownPlaceholders } from './templates.js';

/**
 * The sinks findings can go to: kind and non-secret settings (base URLs,
 * project keys, templates) in SQLite; passwords, tokens, routing keys and
 * webhook URLs only in the SecretStore, under "<sink-id>:<field>". Nothing
 * here returns a secret, and no error message carries one.
 */

export interface SinkSecretStatus {
  field: string;
  set: boolean;
  required: boolean;
}

export interface SinkRow {
  id: string;
  name: string;
  kind: SinkKind;
  settings: Record<string, unknown>;
  createdAt: string;
  updatedAt: string;
}

export interface SinkInfo extends SinkRow {
  secrets: SinkSecretStatus[];
}

const NAME = /^[A-Za-z0-9][A-Za-z0-9_.-]{0,63}$/;

export function kindEntry(kind: string): SinkKindEntry {
  if (!(sinkKinds as readonly string[]).includes(kind)) throw new QuarryError('invalid_input', `unknown sink kind "${kind}"; known: ${sinkKinds.join(', ')}`);
  return sinkKindEntries[kind as SinkKind];
}

interface Row {
  id: string;
  name: string;
  kind: string;
  settings: string;
  created_at: string;
  updated_at: string;
}

const fromRow = (r: Row): SinkRow => ({
  id: r.id,
  name: r.name,
  kind: r.kind as SinkKind,
  settings: JSON.parse(r.settings) as Record<string, unknown>,
  createdAt: r.created_at,
  updatedAt: r.updated_at,
});

export function findSink(db: Db, nameOrId: string): SinkRow | null {
  const row = db.prepare('SELECT * FROM sinks WHERE id = ? OR name = ?').get(nameOrId, nameOrId) as Row | undefined;
  return row ? fromRow(row) : null;
}

export function getSink(db: Db, nameOrId: string): SinkRow {
  const sink = findSink(db, nameOrId);
  if (!sink) throw notFound('sink', nameOrId);
  return sink;
}

export class SinkRegistry {
  constructor(
    private readonly db: Db,
    private readonly secrets: SecretStore,
    private readonly clock: Clock,
  ) {}

  async add(kind: string, name: string, settings: Record<string, unknown>, secrets: Record<string, string>): Promise<SinkInfo> {
    const entry = kindEntry(kind);
    if (!NAME.test(name)) throw new QuarryError('invalid_input', `invalid sink name "${name}": use letters, digits, -, _ and . (starting with a letter or digit)`);
    if (findSink(this.db, name)) throw new QuarryError('conflict', `a sink named "${name}" already exists`);
    let clean: Record<string, unknown>;
    try {
      clean = entry.parseSettings(settings);
    } catch (err) {
      throw new QuarryError('invalid_input', `${entry.label} sink "${name}": ${errorMessage(err)}`);
    }
    for (const field of ['titleTemplate', 'descriptionTemplate'] as const) {
      const bad = typeof clean[field] === 'string' ? unknownPlaceholders(clean[field]) : [];
      if (bad.length) throw new QuarryError('invalid_input', `${field}: unknown placeholder${bad.length > 1 ? 's' : ''} ${bad.map((b) => `{{${b}}}`).join(', ')}`);
    }
    for (const field of Object.keys(secrets)) {
      if (!entry.secretFields.includes(field)) throw new QuarryError('invalid_input', `${entry.label} sinks have no secret "${field}" (they keep: ${entry.secretFields.join(', ')})`);
    }
    const missing = entry.requiredSecrets(clean).filter((f) => !secrets[f]);
    if (missing.length) throw new QuarryError('invalid_input', `${entry.label} sink "${name}" needs ${missing.join(', ')} (a secret, read from standard input or a prompt)`);

    const id = randomUUID();
    const written: string[] = [];
    try {
      for (const [field, value] of Object.entries(secrets)) {
        await this.secrets.set(secretAccount(id, field), value);
        written.push(field);
      }
      const ts = this.clock.now().toISOString();
      this.db.prepare('INSERT INTO sinks (id, name, kind, settings, created_at, updated_at) VALUES (?, ?, ?, ?, ?, ?)')
        .run(id, name, kind, JSON.stringify(clean), ts, ts);
    } catch (err) {
      // No keychain entries for a sink that was not stored.
      await Promise.all(written.map((f) => this.secrets.delete(secretAccount(id, f)).catch(() => false)));
      if (err instanceof QuarryError) throw err;
      throw new QuarryError('internal', `could not add sink "${name}": ${errorMessage(err)}`);
    }
    return this.info(getSink(this.db, id));
  }

  async list(): Promise<SinkInfo[]> {
    const rows = (this.db.prepare('SELECT * FROM sinks ORDER BY name').all() as Row[]).map(fromRow);
    return Promise.all(rows.map((r) => this.info(r)));
  }

  async get(nameOrId: string): Promise<SinkInfo> {
    return this.info(getSink(this.db, nameOrId));
  }

  /** Keychain entries first: if one cannot be deleted, the sink stays listed so the user can try again. */
  async remove(nameOrId: string): Promise<{ name: string; secretsDeleted: number }> {
    const sink = getSink(this.db, nameOrId);
    const prefix = `${sink.id}:`;
    let deleted = 0;
    for (const account of await this.secrets.accounts(prefix)) if (await this.secrets.delete(account)) deleted++;
    if ((await this.secrets.accounts(prefix)).length) throw new QuarryError('internal', `could not delete the keychain entries of sink "${sink.name}"; it was not removed`);
    // Its routes, queued deliveries and ticket records go with it (ON DELETE CASCADE).
    this.db.prepare('DELETE FROM sinks WHERE id = ?').run(sink.id);
    return { name: sink.name, secretsDeleted: deleted };
  }

  /** A driver for one delivery or test, reading secrets from the keychain as it needs them. */
  open(sink: SinkRow, http: HttpClient): SinkDriver {
    return kindEntry(sink.kind).open({
      settings: sink.settings,
      http,
      secret: (field) => this.secrets.get(secretAccount(sink.id, field)),
    });
  }

  private async info(sink: SinkRow): Promise<SinkInfo> {
    const entry = kindEntry(sink.kind);
    const present = new Set((await this.secrets.accounts(`${sink.id}:`)).map((a) => a.slice(sink.id.length + 1)));
    const required = new Set(entry.requiredSecrets(sink.settings));
    return { ...sink, secrets: entry.secretFields.map((field) => ({ field, set: present.has(field), required: required.has(field) })) };
  }
}
