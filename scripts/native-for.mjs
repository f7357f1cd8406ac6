#!/usr/bin/env node
// better-sqlite3 and keytar are native modules built for one ABI at a time:
// Node's (the CLI, tests) or Electron's (the desktop app). `node scripts/native-for.mjs
// electron|node` rebuilds them only when they were last built for the other one.
import fs from 'node:fs';
import path from 'node:path';
import { execSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';

const target = process.argv[2];
if (target !== 'node' && target !== 'electron') {
  console.error('usage: native-for.mjs node|electron');
  process.exit(2);
}
const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const marker = path.join(root, 'node_modules', '.quarry-native-target');
const current = fs.existsSync(marker) ? fs.readFileSync(marker, 'utf8').trim() : 'node'; // npm install builds for Node
if (current === target) process.exit(0);

console.log(`Rebuilding native modules (better-sqlite3, keytar) for ${target}…`);
const command = target === 'electron'
  ? 'npx electron-builder install-app-deps'
  : 'npm rebuild better-sqlite3 keytar';
execSync(command, { cwd: root, stdio: 'inherit' });
fs.writeFileSync(marker, target);
