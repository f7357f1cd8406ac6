#!/usr/bin/env node
// `npm run bench [name-filter]`: runs every test/bench/*.bench.ts and prints one
// line per figure with the ratio to its baseline measured in the same run.
// Each bench file runs in a Node process of its own: a figure such as the
// scheduler's idle CPU must not include the GC and threads a previous bench left.
import fs from 'node:fs';
import path from 'node:path';
import { spawnSync } from 'node:child_process';
import { fileURLToPath, pathToFileURL } from 'node:url';

const here = path.dirname(fileURLToPath(import.meta.url));
const benchDir = path.resolve(here, '../test/bench');

if (process.argv[2] === '--one') {
  const { register } = await import('tsx/esm/api');
  register();
  const file = process.argv[3];
  const fmt = (n) => (Math.abs(n) >= 100 ? Math.round(n).toLocaleString('en-US') : n.toPrecision(3));
  try {
    const { default: bench } = await import(pathToFileURL(path.join(benchDir, file)).href);
    for (const f of await bench()) {
      const verdict = f.target === undefined ? '' : f.ratio >= f.target ? `  (target >= ${f.target}: met)` : `  (target >= ${f.target}: NOT met)`;
      console.log(`${f.name}: ${fmt(f.value)} ${f.unit} vs ${f.baselineName} ${fmt(f.baselineValue)} ${f.unit}: ratio ${f.ratio.toFixed(2)}${verdict}${f.note ? `  [${f.note}]` : ''}`);
    }
  } catch (err) {
    console.log(`${file}: failed: ${err instanceof Error ? err.stack : err}`);
    process.exitCode = 1;
  }
} else {
  const filter = process.argv[2];
  const files = fs.readdirSync(benchDir).filter((f) => f.endsWith('.bench.ts') && (!filter || f.includes(filter))).sort();
  let failed = 0;
  for (const file of files) {
    const child = spawnSync(process.execPath, [...process.execArgv, fileURLToPath(import.meta.url), '--one', file], { stdio: 'inherit' });
    if (child.status !== 0) failed++;
  }
  process.exitCode = failed ? 1 : 0;
}
