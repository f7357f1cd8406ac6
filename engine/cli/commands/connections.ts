import type { Command } from 'commander';
import { withEngine, type GlobalOptions } from '../context.js';
import { printJson, printTable, type CliIo } from '../output.js';

export function registerConnectionCommands(program: Command, io: CliIo): void {
  const global = (): GlobalOptions => program.opts<GlobalOptions>();
  const connections = program.command('connections').description('data sources hunts run against');

  connections
    .command('list')
    .description('list connections (secrets are never shown)')
    .option('--json', 'print JSON')
    .action((opts: { json?: boolean }) =>
      withEngine(global(), io, async ({ api }) => {
        const list = await api.connections.list();
        if (opts.json) return printJson(io, list);
        printTable(io, ['NAME', 'KIND', 'SETTINGS'], list.map((c) => [c.name, c.kind, JSON.stringify(c.settings)]), 80);
      }),
    );
}
