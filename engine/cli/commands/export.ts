import type { Command } from 'commander';
import { withEngine, type GlobalOptions } from '../context.js';
import { plural, type CliIo } from '../output.js';
import { QuarryError } from '../../errors.js';
import { exportFormats, type ExportFormat } from '../../reports/model.js';
import { exportToFile, writeExport, type ExportOutcome } from '../../reports/export.js';
import { parseTarget } from '../../reports/target.js';
import { withReportDeps } from '../../handlers/reports.js';

/**
 * `quarry export <run|finding> --format F [--out FILE]` and
 * `quarry export --from D --to D --format F`: reports and data exports.
 * Without --out the export goes to standard output.
 */

const size = (bytes: number): string => (bytes < 1024 ? `${bytes} B` : bytes < 1 << 20 ? `${(bytes / 1024).toFixed(1)} KB` : `${(bytes / (1 << 20)).toFixed(1)} MB`);

function describe(o: ExportOutcome): string {
  if (o.format === 'timesketch') return `${plural(o.rows ?? 0, 'event')}${o.skipped ? `; ${plural(o.skipped, 'row')} without a time skipped` : ''}`;
  if (o.format === 'stix') return `${plural(o.indicators ?? 0, 'indicator')}${o.skipped ? `; ${formatSkipped(o.skipped)}` : ''}`;
  if (o.rows !== undefined) return plural(o.rows, 'row');
  return `${o.format} report`;
}

const formatSkipped = (n: number): string => `${plural(n, 'indicator')} kept out (private, allowlisted or not expressible)`;

export function registerExportCommands(program: Command, io: CliIo): void {
  const global = (): GlobalOptions => program.opts<GlobalOptions>();
  program
    .command('export [target]')
    .description('export a run (its number), a finding (finding:<id>) or a period (--from/--to) as a report or data')
    .option('--format <format>', `one of ${exportFormats.join(', ')}`, 'html')
    .option('--out <file>', 'write to this file (default: standard output)')
    .option('--from <date>', 'a period report: runs started from this date or ISO time')
    .option('--to <date>', 'a period report: up to this date (inclusive) or ISO time (exclusive)')
    .option('--time-column <name>', 'timesketch: the datetime column to place rows by (default: the first)')
    .action((ref: string | undefined, opts: { format: string; out?: string; from?: string; to?: string; timeColumn?: string }) =>
      withEngine(global(), io, async ({ engine }) => {
        if (!(exportFormats as readonly string[]).includes(opts.format)) {
          throw new QuarryError('invalid_input', `unknown format "${opts.format}" (use ${exportFormats.join(', ')})`);
        }
        const format = opts.format as ExportFormat;
        const target = parseTarget(ref, { from: opts.from, to: opts.to });
        await withReportDeps(engine, target, async (deps) => {
          const exportOpts = { timeColumn: opts.timeColumn };
          if (!opts.out) {
            const outcome = await writeExport(deps, target, format, io.stdout, exportOpts);
            if (outcome.skipped) io.stderr.write(`quarry: ${describe(outcome)}\n`);
            return;
          }
          const written = await exportToFile(deps, target, format, opts.out, exportOpts);
          io.stdout.write(`Wrote ${written.path} (${size(written.bytes)}): ${describe(written)}.\n`);
        });
      }),
    );
}
