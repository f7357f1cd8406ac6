import fs from 'node:fs';
import type { Command } from 'commander';
import { withEngine, type GlobalOptions } from '../context.js';
import { collect, parseParamArgs } from '../setting-args.js';
import { printJson, printTable, plural, type CliIo } from '../output.js';
import { CliFailure } from '../failure.js';
import { writeResults, resultFormats, type ResultFormat } from '../../export/results.js';
import { reportRunFindings } from './findings.js';
import { readColumns, readRows, hasResults } from '../../runs/result-store.js';
import { toJsonValue } from '../../export/results.js';
import { QuarryError } from '../../errors.js';
import type { Run } from '../../types.js';
import { getRun } from '../../runs/run-repo.js';

function parseRunId(text: string): number {
  const id = Number(text);
  if (!Number.isSafeInteger(id) || id <= 0) throw new QuarryError('invalid_input', `a run is named by its number, got "${text}"`);
  return id;
}

const duration = (ms: number | null): string => (ms === null ? '-' : ms < 1000 ? `${ms} ms` : `${(ms / 1000).toFixed(1)} s`);

export function registerRunCommands(program: Command, io: CliIo): void {
  const global = (): GlobalOptions => program.opts<GlobalOptions>();

  program
    .command('run <hunt>')
    .description('run a hunt (id or exact name) and store its result')
    .option('-p, --param <name=value>', 'a hunt parameter (repeatable)', collect, [])
    .option('--connection <name>', 'run against this connection instead of the hunt\'s')
    .option('--timeout <seconds>', 'give up after this many seconds')
    .option('--limit <n>', 'rows to show (the whole result is stored)', '20')
    .option('--json', 'print JSON ({ run, columns, rows, truncated })')
    .option('--no-send', 'queue the deliveries of findings the run opens, without sending them now')
    .action((ref: string, opts: { param: string[]; connection?: string; timeout?: string; limit: string; json?: boolean; send: boolean }) =>
      withEngine(global(), io, async ({ engine }) => {
        const run = await engine.runner.run({
          hunt: ref,
          params: parseParamArgs(opts.param),
          connection: opts.connection,
          timeoutMs: opts.timeout ? Number(opts.timeout) * 1000 : undefined,
        });
        const limit = Math.max(0, Number(opts.limit) || 0);
        const columns = hasResults(engine.db, run.id) ? readColumns(engine.db, run.id) : [];
        const rows = columns.length ? readRows(engine.db, run.id, { limit }).rows : [];
        if (opts.json) {
          printJson(io, {
            run,
            columns,
            rows: rows.map((r) => r.map((v, i) => toJsonValue(columns[i]!.type, v))),
            truncated: run.rowCount > rows.length,
          });
        } else {
          printRunSummary(io, run);
          if (rows.length) printTable(io, columns.map((c) => c.name), rows.map((r) => r.map((v, i) => toJsonValue(columns[i]!.type, v))), 40);
          if (run.rowCount > rows.length) io.stdout.write(`… ${plural(run.rowCount - rows.length, 'more row')}: quarry results ${run.id}\n`);
        }
        await reportRunFindings(engine, opts.json ? null : io, run, opts.send);
        if (run.status !== 'succeeded') throw new CliFailure(`run ${run.id} ${run.status}: ${run.error ?? ''}`, !opts.json);
      }),
    );

  const runs = program.command('runs').description('past runs');
  runs
    .command('list')
    .description('list runs, newest first')
    .option('--hunt <hunt>', 'only runs of this hunt (id or exact name)')
    .option('--limit <n>', 'at most this many', '50')
    .option('--json', 'print JSON (an array of runs)')
    .action((opts: { hunt?: string; limit: string; json?: boolean }) =>
      withEngine(global(), io, async ({ engine, api }) => {
        const huntId = opts.hunt ? engine.hunts.get(opts.hunt).id : undefined;
        const list = await api.runs.list({ huntId, limit: Math.max(1, Number(opts.limit) || 50) });
        if (opts.json) return printJson(io, list);
        if (list.length === 0) return void io.stdout.write('No runs yet. Run a hunt with `quarry run <hunt>`.\n');
        printTable(io, ['RUN', 'HUNT', 'STATUS', 'STARTED', 'DURATION', 'ROWS', 'ERROR'], list.map((r) => [
          r.id, r.huntName, r.status, r.startedAt, duration(r.durationMs), r.rowCount, r.error ?? (r.warnings[0] ? `warning: ${r.warnings[0]}` : ''),
        ]));
      }),
    );

  program
    .command('results <run>')
    .description('write the stored result of a run')
    .option('--format <format>', `one of ${resultFormats.join(', ')}`, 'csv')
    .option('--out <file>', 'write to this file instead of standard output')
    .action((runText: string, opts: { format: string; out?: string }) =>
      withEngine(global(), io, async ({ engine }) => {
        if (!resultFormats.includes(opts.format as ResultFormat)) {
          throw new QuarryError('invalid_input', `unknown format "${opts.format}" (use ${resultFormats.join(', ')})`);
        }
        const runId = parseRunId(runText);
        const reader = engine.openReader();
        try {
          const run = getRun(reader, runId);
          if (!hasResults(reader, runId)) throw new QuarryError('not_found', `run ${runId} (${run.status}) has no stored results`);
          const out = opts.out ? fs.createWriteStream(opts.out) : io.stdout;
          await writeResults(reader, runId, opts.format as ResultFormat, out);
          if (opts.out) await new Promise<void>((resolve, reject) => (out as fs.WriteStream).end((err?: Error | null) => (err ? reject(err) : resolve())));
        } finally {
          reader.close();
        }
      }),
    );
}

function printRunSummary(io: CliIo, run: Run): void {
  const line = run.status === 'succeeded'
    ? `Run ${run.id} of "${run.huntName}" succeeded: ${plural(run.rowCount, 'row')} in ${duration(run.durationMs)}.\n`
    : `Run ${run.id} of "${run.huntName}" ${run.status}: ${run.error ?? ''}\n`;
  (run.status === 'succeeded' ? io.stdout : io.stderr).write(line);
  for (const w of run.warnings) io.stderr.write(`warning: ${w}\n`);
}
