import fs from 'node:fs';
import path from 'node:path';
import { QuarryError, invalidInput } from '../errors.js';
import { Allowlist } from './allowlist.js';
import { parseEnrichmentSettings, type EnrichmentSettings } from './settings.js';

/**
 * The hunter's enrichment settings live in `<dataDir>/enrichment.json`: only
 * what they changed (the rest takes the defaults of settings.ts, so a newer
 * Quarry's defaults still apply). No key is ever written here; keys are in
 * the keychain.
 */

export const enrichmentSettingsFile = (dataDir: string): string => path.join(dataDir, 'enrichment.json');

type Stored = Record<string, unknown>;

const isObject = (v: unknown): v is Stored => typeof v === 'object' && v !== null && !Array.isArray(v);

/** What the file holds (the hunter's own values), {} when there is no file. */
export function readStoredEnrichmentSettings(dataDir: string): Stored {
  const file = enrichmentSettingsFile(dataDir);
  let text: string;
  try {
    text = fs.readFileSync(file, 'utf8');
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') return {};
    throw err;
  }
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch (err) {
    throw new QuarryError('invalid_input', `${file} is not valid JSON: ${(err as Error).message}`);
  }
  if (!isObject(parsed)) throw new QuarryError('invalid_input', `${file} must hold a JSON object`);
  return parsed;
}

/** The effective settings: the file over the defaults. */
export function readEnrichmentSettings(dataDir: string): EnrichmentSettings {
  return validated(readStoredEnrichmentSettings(dataDir));
}

/** When the file last changed (0 when there is none), so a running engine notices `quarry enrich settings set`. */
export function enrichmentSettingsVersion(dataDir: string): number {
  try {
    return fs.statSync(enrichmentSettingsFile(dataDir)).mtimeMs;
  } catch {
    return 0;
  }
}

/** Objects merge key by key; anything else (arrays, numbers, null) replaces. */
export function mergeSettings(base: Stored, patch: Stored): Stored {
  const out: Stored = { ...base };
  for (const [k, v] of Object.entries(patch)) {
    if (v === undefined) continue;
    out[k] = isObject(v) && isObject(base[k]) ? mergeSettings(base[k], v) : v;
  }
  return out;
}

/** Validates, then writes atomically (a half-written file would stop every enrichment). Returns the effective settings. */
export function writeStoredEnrichmentSettings(dataDir: string, stored: Stored): EnrichmentSettings {
  const settings = validated(stored);
  const file = enrichmentSettingsFile(dataDir);
  const tmp = `${file}.${process.pid}.tmp`;
  fs.writeFileSync(tmp, `${JSON.stringify(stored, null, 2)}\n`);
  fs.renameSync(tmp, file);
  return settings;
}

function validated(stored: Stored): EnrichmentSettings {
  const settings = parseEnrichmentSettings(stored);
  new Allowlist(settings.allowlist); // throws naming a network that does not parse
  return settings;
}

/** `providers.virustotal.perDay` → the stored object with that key set (or removed, with `undefined`). */
export function setSettingPath(stored: Stored, dotted: string, value: unknown): Stored {
  const keys = dotted.split('.').filter(Boolean);
  if (keys.length === 0) throw invalidInput('a setting is named like providers.virustotal.perDay');
  const out = structuredClone(stored);
  let node: Stored = out;
  for (const k of keys.slice(0, -1)) {
    if (!isObject(node[k])) node[k] = {};
    node = node[k] as Stored;
  }
  const last = keys[keys.length - 1]!;
  if (value === undefined) delete node[last];
  else node[last] = value;
  return out;
}
