import fs from 'node:fs';
import path from 'node:path';
import { Engine, type EngineOptions } from '../../engine/engine.js';
import { tempDir } from './temp-dir.js';

/** An engine on a fresh data dir; no sample data unless asked, so tests see only what they put in. */
export async function openTestEngine(opts: Partial<EngineOptions> = {}): Promise<Engine> {
  return Engine.open({ dataDir: tempDir('quarry-engine-'), sampleData: false, ...opts });
}

/** Writes a file into a fresh temp dir and returns its path. */
export function writeTempFile(name: string, content: string | Buffer): string {
  const file = path.join(tempDir('quarry-file-'), name);
  fs.mkdirSync(path.dirname(file), { recursive: true });
  fs.writeFileSync(file, content);
  return file;
}
