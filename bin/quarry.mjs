#!/usr/bin/env node
// The `quarry` CLI: the engine without the GUI. TypeScript is loaded through tsx,
// so the CLI works straight after `npm install` with no build step.
import { register } from 'tsx/esm/api';

register();
const { main } = await import('../engine/cli/main.ts');
process.exitCode = await main(process.argv);
