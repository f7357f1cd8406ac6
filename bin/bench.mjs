#!/usr/bin/env node
// `npm run bench [name-filter]`: runs every test/bench/*.bench.ts and prints one
// line per figure with the ratio to its baseline measured in the same run.
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { register } from 'tsx/esm/api';

register();
const benchDir = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../test/bench');
const filter = process.argv[2];
const files = fs.readdirSync(benchDir).filter((f) => f.endsWith('.bench.ts') && (!filter || f.includes(filter))).sort();
const fmt = (n) => (Math.abs(n) >= 100 ? Math.round(n).toLocaleString('en-US') : n.toPrecision(3));

let failed = 0;
for (const file of files) {
  try {
    const { default: bench } = await import(pathToFileURL(path.join(benchDir, file)).href);
    for (const f of await bench()) {
      const verdict = f.target === undefined ? '' : f.ratio >= f.target ? `  (target >= ${f.target}: met)` : `  (target >= ${f.target}: NOT met)`;
      console.log(`${f.name}: ${fmt(f.value)} ${f.unit} vs ${f.baselineName} ${fmt(f.baselineValue)} ${f.unit}: ratio ${f.ratio.toFixed(2)}${verdict}${f.note ? `  [${f.note}]` : ''}`);
    }
  } catch (err) {
    failed++;
    console.log(`${file}: failed: ${err instanceof Error ? err.stack : err}`);
  }
}
process.exitCode = failed ? 1 : 0;
