import fs from 'node:fs';
import path from 'node:path';
import type { Db } from '../store/db.js';
import type { HuntLibrary } from './library.js';
import { HuntYamlError, parseHuntYaml } from './yaml.js';
import { errorMessage, notFound } from '../errors.js';
import type { ParsedHuntInput } from './schema.js';

export interface ImportedHunt {
  id: string;
  name: string;
  file: string;
  updated: boolean;
}

export interface ImportFailure {
  file: string;
  line: number;
  message: string;
}

export interface HuntImportResult {
  imported: ImportedHunt[];
  failed: ImportFailure[];
}

/** Every .yaml/.yml file under the given files and folders, recursively, in a stable order. */
export function collectYamlFiles(paths: string[]): string[] {
  const files: string[] = [];
  const walk = (p: string): void => {
    const stat = fs.statSync(p, { throwIfNoEntry: false });
    if (!stat) throw notFound('file or folder', p);
    if (stat.isDirectory()) {
      for (const entry of fs.readdirSync(p).sort()) {
        if (entry.startsWith('.')) continue;
        const child = path.join(p, entry);
        if (fs.statSync(child).isDirectory() || /\.ya?ml$/i.test(entry)) walk(child);
      }
    } else {
      files.push(path.resolve(p));
    }
  };
  for (const p of paths) walk(p);
  return files;
}

/**
 * Imports Sentinel or Quarry hunt YAML. Files that parse are saved together in
 * one transaction (re-import updates by id); each file that does not is reported
 * with its line, and leaves the library as it was.
 */
export function importHunts(
  db: Db,
  library: HuntLibrary,
  paths: string[],
  options: { connection?: string } = {},
): HuntImportResult {
  const parsed: ParsedHuntInput[] = [];
  const failed: ImportFailure[] = [];
  for (const file of collectYamlFiles(paths)) {
    try {
      const hunt = parseHuntYaml(fs.readFileSync(file, 'utf8'), file);
      if (!hunt.connection && options.connection) hunt.connection = options.connection;
      parsed.push(hunt);
    } catch (err) {
      if (err instanceof HuntYamlError) failed.push({ file: err.file, line: err.line, message: err.detail });
      else failed.push({ file, line: 1, message: errorMessage(err) });
    }
  }
  const imported = db.transaction(() =>
    parsed.map((h) => {
      const updated = library.exists(h.id!);
      const saved = library.saveParsed(h);
      return { id: saved.id, name: saved.name, file: h.sourcePath ?? '', updated };
    }),
  )();
  return { imported, failed };
}
