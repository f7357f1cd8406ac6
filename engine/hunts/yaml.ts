import { createHash } from 'node:crypto';
import { Document, LineCounter, isScalar, parseDocument, type Node } from 'yaml';
import type { Hunt } from '../types.js';
import { huntInputSchema, type ParsedHuntInput } from './schema.js';

/**
 * Reading and writing hunt YAML. Quarry's format is Microsoft Sentinel's
 * hunting-query YAML plus `language`, `connection`, `parameters`, `severity`
 * and `tags`; any other field is kept verbatim in `extra` so export loses nothing.
 */

export class HuntYamlError extends Error {
  constructor(
    readonly file: string,
    readonly line: number,
    readonly detail: string,
  ) {
    super(`${file}:${line}: ${detail}`);
    this.name = 'HuntYamlError';
  }
}

/** Fields Quarry interprets; all others go to `extra`. */
const knownFields = new Set([
  'id', 'name', 'description', 'requiredDataConnectors', 'tactics', 'relevantTechniques', 'query',
  'entityMappings', 'version', 'language', 'connection', 'parameters', 'severity', 'tags',
]);

const severityWords: Record<string, ParsedHuntInput['severity']> = {
  informational: 'informational', low: 'low', medium: 'medium', high: 'high',
};

export function parseHuntYaml(text: string, file: string): ParsedHuntInput {
  const lines = new LineCounter();
  const doc = parseDocument(text, { lineCounter: lines, prettyErrors: false, uniqueKeys: true });
  const lineOf = (node: Node | null | undefined): number => (node?.range ? lines.linePos(node.range[0]).line : 1);
  if (doc.errors.length > 0) {
    const e = doc.errors[0]!;
    throw new HuntYamlError(file, lines.linePos(e.pos[0]).line, `malformed YAML: ${e.message.split('\n')[0]}`);
  }
  const raw = doc.toJS() as unknown;
  if (raw === null || typeof raw !== 'object' || Array.isArray(raw)) {
    throw new HuntYamlError(file, 1, 'a hunt file must be a YAML mapping (id, name, query, ...)');
  }
  const obj = raw as Record<string, unknown>;
  const at = (key: string): number => lineOf(doc.get(key, true) as Node | undefined);
  if (typeof obj.query !== 'string' || obj.query.trim() === '') {
    throw new HuntYamlError(file, obj.query === undefined ? 1 : at('query'), 'missing "query": not a hunting query');
  }
  if (typeof obj.name !== 'string' || obj.name.trim() === '') {
    throw new HuntYamlError(file, obj.name === undefined ? 1 : at('name'), 'missing "name"');
  }

  const extra: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(obj)) if (!knownFields.has(k)) extra[k] = v;

  let severity: ParsedHuntInput['severity'] | undefined;
  if (obj.severity !== undefined) {
    severity = typeof obj.severity === 'string' ? severityWords[obj.severity.toLowerCase()] : undefined;
    if (!severity) extra.severity = obj.severity; // unknown wording: keep it rather than guess
  }
  let tags: string[] | undefined;
  if (obj.tags !== undefined) {
    if (Array.isArray(obj.tags) && obj.tags.every((t) => typeof t === 'string')) tags = obj.tags as string[];
    else extra.tags = obj.tags; // Sentinel sometimes carries structured tags
  }

  const candidate = {
    id: scalarText(doc.get('id', true)) ?? stableIdFromName(obj.name),
    name: obj.name.trim(),
    description: typeof obj.description === 'string' ? obj.description : '',
    connection: typeof obj.connection === 'string' ? obj.connection : null,
    language: obj.language ?? 'kql',
    query: obj.query,
    parameters: obj.parameters ?? [],
    tactics: obj.tactics ?? [],
    techniques: Array.isArray(obj.relevantTechniques)
      ? obj.relevantTechniques.map((t) => (typeof t === 'string' ? t.trim() : t))
      : (obj.relevantTechniques ?? []),
    entityMappings: obj.entityMappings ?? [],
    requiredDataConnectors: obj.requiredDataConnectors ?? [],
    severity,
    tags,
    version: scalarText(doc.get('version', true)) ?? '1.0.0',
    extra,
    sourcePath: file,
  };
  const parsed = huntInputSchema.safeParse(candidate);
  if (!parsed.success) {
    const issue = parsed.error.issues[0]!;
    const yamlPath = issue.path.map((p) => (p === 'techniques' ? 'relevantTechniques' : p));
    const node = doc.getIn(yamlPath, true) as Node | undefined;
    const field = yamlPath.join('.');
    throw new HuntYamlError(file, node ? lineOf(node) : at(String(yamlPath[0])), `${field}: ${issue.message}`);
  }
  return parsed.data;
}

/** The text of a scalar as written (so `version: 1.0` stays "1.0", not 1). */
function scalarText(node: unknown): string | undefined {
  if (!isScalar(node) || node.value === null || node.value === undefined) return undefined;
  const src = (node as { source?: unknown }).source;
  return typeof src === 'string' && src !== '' ? src : String(node.value);
}

/** Hunts without an `id` get one derived from their name, so re-importing them updates rather than duplicates. */
export function stableIdFromName(name: string): string {
  const h = createHash('sha256').update(`quarry-hunt:${name.trim()}`).digest('hex');
  return `${h.slice(0, 8)}-${h.slice(8, 12)}-5${h.slice(13, 16)}-a${h.slice(17, 20)}-${h.slice(20, 32)}`;
}

const severityLabel: Record<Hunt['severity'], string> = {
  informational: 'Informational', low: 'Low', medium: 'Medium', high: 'High',
};

/** Writes a hunt as Quarry hunt YAML (Sentinel field names and order first). */
export function huntToYaml(h: Hunt): string {
  const out: Record<string, unknown> = {
    id: h.id,
    name: h.name,
    description: h.description,
    requiredDataConnectors: h.requiredDataConnectors,
    tactics: h.tactics,
    relevantTechniques: h.techniques,
    query: h.query,
  };
  if (h.entityMappings.length > 0) out.entityMappings = h.entityMappings;
  out.version = h.version;
  out.language = h.language;
  if (h.connection) out.connection = h.connection;
  if (!('severity' in h.extra)) out.severity = severityLabel[h.severity];
  if (!('tags' in h.extra) && h.tags.length > 0) out.tags = h.tags;
  if (h.parameters.length > 0) out.parameters = h.parameters;
  for (const [k, v] of Object.entries(h.extra)) out[k] = v;
  const doc = new Document(out);
  return doc.toString({ blockQuote: 'literal', lineWidth: 0 });
}
