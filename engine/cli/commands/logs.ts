import type { Command } from 'commander';
import { withEngine, type GlobalOptions } from '../context.js';
import { printJson, printTable, plural, type CliIo } from '../output.js';
import type { LogFormat } from '../../../connectors/sources/local/import/log-importer.js';

export function registerLogCommands(program: Command, io: CliIo): void {
  const global = (): GlobalOptions => program.opts<GlobalOptions>();
  const logs = program.command('logs').description('offline logs in local connections');

  logs
    .command('import <file>')
    .description('import a CSV, TSV, JSON Lines or JSON-array file (optionally .gz) into a table, streaming')
    .requiredOption('--table <name>', 'the table to create or append to')
    .option('--connection <name>', 'the local connection (created if missing)', 'local')
    .option('--format <format>', 'csv, tsv, jsonl or json (default: from the file name)')
    .option('--delimiter <char>', 'CSV field delimiter (default , or tab for .tsv)')
    .option('--replace', 'replace the table instead of appending')
    .option('--json', 'print JSON')
    .action((file: string, opts: { table: string; connection: string; format?: string; delimiter?: string; replace?: boolean; json?: boolean }) =>
      withEngine(global(), io, async ({ api }) => {
        const r = await api.logs.import({
          file, table: opts.table, connection: opts.connection, format: opts.format as LogFormat | undefined,
          delimiter: opts.delimiter, replace: opts.replace,
        });
        if (opts.json) return printJson(io, r);
        io.stdout.write(`Imported ${plural(r.rows, 'row')} into ${r.connection}.${r.table} (${r.created ? 'new table' : 'appended'}).\n`);
        printTable(io, ['COLUMN', 'TYPE'], r.columns.map((c) => [c.name, c.type]));
      }),
    );

  logs
    .command('tables')
    .description('list the tables of a local connection')
    .option('--connection <name>', 'the local connection', 'local')
    .option('--json', 'print JSON')
    .action((opts: { connection: string; json?: boolean }) =>
      withEngine(global(), io, async ({ api }) => {
        const tables = await api.logs.tables({ connection: opts.connection });
        if (opts.json) return printJson(io, tables);
        if (!tables.length) return void io.stdout.write(`No tables in "${opts.connection}". Import logs with \`quarry logs import <file> --table NAME\`.\n`);
        printTable(io, ['TABLE', 'ROWS', 'COLUMNS', 'SOURCE'], tables.map((t) => [t.name, t.rowCount, t.columns.length, t.source ?? '']));
      }),
    );
}
