import { randomUUID } from 'node:crypto';
import type { Db } from '../store/db.js';
import type { Clock } from '../clock.js';
import type { Hunt } from '../types.js';
import { QuarryError, notFound } from '../errors.js';
import { huntInputSchema, type HuntInput, type ParsedHuntInput } from './schema.js';
import { formatZodError } from '../validation.js';

interface HuntRow {
  id: string;
  name: string;
  description: string;
  connection: string | null;
  language: string;
  query: string;
  parameters: string;
  tactics: string;
  techniques: string;
  entity_mappings: string;
  required_data_connectors: string;
  severity: string;
  tags: string;
  version: string;
  extra: string;
  source_path: string | null;
  created_at: string;
  updated_at: string;
}

function fromRow(r: HuntRow): Hunt {
  return {
    id: r.id,
    name: r.name,
    description: r.description,
    connection: r.connection,
    language: r.language as Hunt['language'],
    query: r.query,
    parameters: JSON.parse(r.parameters),
    tactics: JSON.parse(r.tactics),
    techniques: JSON.parse(r.techniques),
    entityMappings: JSON.parse(r.entity_mappings),
    requiredDataConnectors: JSON.parse(r.required_data_connectors),
    severity: r.severity as Hunt['severity'],
    tags: JSON.parse(r.tags),
    version: r.version,
    extra: JSON.parse(r.extra),
    sourcePath: r.source_path,
    createdAt: r.created_at,
    updatedAt: r.updated_at,
  };
}

export interface HuntFilter {
  search?: string;
  tag?: string;
  tactic?: string;
}

/** The hunt library: create, edit, delete, list and search hunts in the store. */
export class HuntLibrary {
  constructor(
    private readonly db: Db,
    private readonly clock: Clock,
  ) {}

  list(filter: HuntFilter = {}): Hunt[] {
    const rows = this.db.prepare('SELECT * FROM hunts ORDER BY name COLLATE NOCASE, id').all() as HuntRow[];
    const needle = filter.search?.toLowerCase();
    return rows.map(fromRow).filter((h) => {
      if (filter.tag && !h.tags.some((t) => t.toLowerCase() === filter.tag!.toLowerCase())) return false;
      if (filter.tactic && !h.tactics.some((t) => sameTactic(t, filter.tactic!))) return false;
      if (!needle) return true;
      return [h.name, h.description, h.query, h.id, ...h.tags, ...h.tactics, ...h.techniques].some((s) =>
        s.toLowerCase().includes(needle),
      );
    });
  }

  /** Finds a hunt by id, or else by exact name; an ambiguous name is an error naming the ids. */
  find(idOrName: string): Hunt | undefined {
    const byId = this.db.prepare('SELECT * FROM hunts WHERE id = ?').get(idOrName) as HuntRow | undefined;
    if (byId) return fromRow(byId);
    const byName = this.db.prepare('SELECT * FROM hunts WHERE name = ?').all(idOrName) as HuntRow[];
    if (byName.length > 1) {
      throw new QuarryError(
        'conflict',
        `more than one hunt is named "${idOrName}"; use its id: ${byName.map((r) => r.id).join(', ')}`,
      );
    }
    return byName[0] ? fromRow(byName[0]) : undefined;
  }

  get(idOrName: string): Hunt {
    const hunt = this.find(idOrName);
    if (!hunt) throw notFound('hunt', idOrName);
    return hunt;
  }

  /** Creates the hunt, or replaces the one with the same id (keeping its creation time). */
  save(input: HuntInput): Hunt {
    const parsed = huntInputSchema.safeParse(input);
    if (!parsed.success) throw new QuarryError('invalid_input', `invalid hunt: ${formatZodError(parsed.error)}`);
    return this.saveParsed(parsed.data);
  }

  saveParsed(h: ParsedHuntInput): Hunt {
    const now = this.clock.now().toISOString();
    const id = h.id ?? randomUUID();
    this.db
      .prepare(
        `INSERT INTO hunts (id, name, description, connection, language, query, parameters, tactics, techniques,
           entity_mappings, required_data_connectors, severity, tags, version, extra, source_path, created_at, updated_at)
         VALUES (@id, @name, @description, @connection, @language, @query, @parameters, @tactics, @techniques,
           @entity_mappings, @required_data_connectors, @severity, @tags, @version, @extra, @source_path, @now, @now)
         ON CONFLICT(id) DO UPDATE SET name = excluded.name, description = excluded.description,
           connection = excluded.connection, language = excluded.language, query = excluded.query,
           parameters = excluded.parameters, tactics = excluded.tactics, techniques = excluded.techniques,
           entity_mappings = excluded.entity_mappings, required_data_connectors = excluded.required_data_connectors,
           severity = excluded.severity, tags = excluded.tags, version = excluded.version, extra = excluded.extra,
           source_path = excluded.source_path, updated_at = excluded.updated_at`,
      )
      .run({
        id,
        name: h.name,
        description: h.description,
        connection: h.connection,
        language: h.language,
        query: h.query,
        parameters: JSON.stringify(h.parameters),
        tactics: JSON.stringify(h.tactics),
        techniques: JSON.stringify(h.techniques),
        entity_mappings: JSON.stringify(h.entityMappings),
        required_data_connectors: JSON.stringify(h.requiredDataConnectors),
        severity: h.severity,
        tags: JSON.stringify(h.tags),
        version: h.version,
        extra: JSON.stringify(h.extra),
        source_path: h.sourcePath,
        now,
      });
    return this.get(id);
  }

  exists(id: string): boolean {
    return this.db.prepare('SELECT 1 FROM hunts WHERE id = ?').get(id) !== undefined;
  }

  delete(idOrName: string): Hunt {
    const hunt = this.get(idOrName);
    this.db.prepare('DELETE FROM hunts WHERE id = ?').run(hunt.id);
    return hunt;
  }
}

/** "Credential Access", "CredentialAccess" and "credential-access" name the same ATT&CK tactic. */
export function sameTactic(a: string, b: string): boolean {
  const norm = (s: string) => s.toLowerCase().replace(/[^a-z]/g, '');
  return norm(a) === norm(b);
}
