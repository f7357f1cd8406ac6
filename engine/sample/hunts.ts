import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseHuntYaml } from '../hunts/yaml.js';
import type { ParsedHuntInput } from '../hunts/schema.js';

/**
 * The sample hunts, one Quarry hunt YAML file each, that find what is
 * planted in the sample dataset.
 *
 * From source (CLI, tests) the files sit in ./hunts next to this module.
 * When electron-vite bundles the engine, this module's URL becomes the
 * bundle's, so the build copies `sampleHuntsDir()` to SAMPLE_HUNTS_BUNDLE_DIR
 * next to the bundle; both places are tried.
 */

export const SAMPLE_HUNTS_BUNDLE_DIR = 'sample-hunts';

/**
 * The same folder relative to the repository root, for build configs: a
 * config file is itself bundled before it runs, so its import.meta.url is
 * not this module's and sampleHuntsDir() called from it would point elsewhere.
 */
export const SAMPLE_HUNTS_SOURCE_DIR = 'engine/sample/hunts';

/** The folder of the sample hunt files in the source tree (what the bundler config copies). */
export function sampleHuntsDir(): string {
  return fileURLToPath(new URL('./hunts/', import.meta.url));
}

function locateSampleHunts(): string {
  const candidates = [sampleHuntsDir(), fileURLToPath(new URL(`./${SAMPLE_HUNTS_BUNDLE_DIR}/`, import.meta.url))];
  const found = candidates.find((dir) => fs.existsSync(path.join(dir, 'password-spray.yaml')));
  if (!found) throw new Error(`sample hunts not found (looked in ${candidates.join(' and ')})`);
  return found;
}

/** Every sample hunt, parsed, in file-name order. */
export function loadSampleHunts(dir: string = locateSampleHunts()): ParsedHuntInput[] {
  return fs
    .readdirSync(dir)
    .filter((f) => f.endsWith('.yaml'))
    .sort()
    .map((f) => {
      const file = path.join(dir, f);
      return parseHuntYaml(fs.readFileSync(file, 'utf8'), file);
    });
}
