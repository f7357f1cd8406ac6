#!/usr/bin/env node
// The `quarry` CLI: the engine without the GUI. TypeScript is loaded through tsx,
// so the CLI works straight after `npm install` with no build step.
import { register } from 'tsx/esm/api';

// `quarry results 1 | head` closes the pipe early: that is not an error.
for (const stream of [process.stdout, process.stderr]) {
  stream.on('error', (err) => {
    if (err.code === 'EPIPE') process.exit(process.exitCode ?? 0);
    throw err;
  });
}

register();
let main;
try {
  ({ main } = await import('../engine/cli/main.ts'));
} catch (err) {
  if (String(err?.message).includes('NODE_MODULE_VERSION')) {
    console.error('quarry: the native modules are built for Electron (after `npm start`); rebuild them for Node with `node scripts/native-for.mjs node`.');
    process.exit(1);
  }
  throw err;
}
process.exitCode = await main(process.argv);
