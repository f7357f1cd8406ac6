import type { Command } from 'commander';
import { withEngine, type GlobalOptions } from '../context.js';
import { printJson, printTable, type CliIo } from '../output.js';
import { QuarryError } from '../../errors.js';
import { findingsService } from '../../findings/service.js';
import type { DeliveryState } from '../../findings/types.js';
import { sendQueued } from './findings.js';

/** `quarry deliveries list|retry|send`: the outbox, including the dead-letter list. */

const states: readonly DeliveryState[] = ['pending', 'delivered', 'dead'];

function parseIds(texts: string[]): number[] {
  return texts.map((t) => {
    const id = Number(t);
    if (!Number.isSafeInteger(id) || id <= 0) throw new QuarryError('invalid_input', `a delivery is named by its number, got "${t}"`);
    return id;
  });
}

export function registerDeliveryCommands(program: Command, io: CliIo): void {
  const global = (): GlobalOptions => program.opts<GlobalOptions>();
  const deliveries = program.command('deliveries').description('findings on their way to sinks: the outbox and its dead letters');

  deliveries
    .command('list')
    .description('list deliveries, newest first (--state dead for the dead-letter list)')
    .option('--state <state>', `only this state: ${states.join(', ')}`)
    .option('--finding <id>', 'only deliveries of this finding')
    .option('--sink <name>', 'only deliveries to this sink')
    .option('--limit <n>', 'at most this many', '100')
    .option('--json', 'print JSON (an array of deliveries)')
    .action((opts: { state?: string; finding?: string; sink?: string; limit: string; json?: boolean }) =>
      withEngine(global(), io, async ({ api }) => {
        if (opts.state && !states.includes(opts.state as DeliveryState)) {
          throw new QuarryError('invalid_input', `unknown state "${opts.state}" (use ${states.join(', ')})`);
        }
        const list = await api.deliveries.list({
          state: opts.state as DeliveryState | undefined,
          findingId: opts.finding ? parseIds([opts.finding])[0] : undefined,
          sink: opts.sink,
          limit: Math.max(1, Number(opts.limit) || 100),
        });
        if (opts.json) return printJson(io, list);
        if (list.length === 0) return void io.stdout.write('No deliveries.\n');
        printTable(io, ['ID', 'FINDING', 'SINK', 'ACTION', 'STATE', 'TRIES', 'NEXT TRY', 'RESULT'], list.map((d) => [
          d.id, d.findingId, d.sink, d.action, d.state, d.attempts, d.nextAttemptAt ?? '',
          d.state === 'delivered' ? d.detail : (d.lastError ?? ''),
        ]), 80);
      }),
    );

  deliveries
    .command('retry [ids...]')
    .description('put dead (or waiting) deliveries back in the queue and send them now')
    .option('--all-dead', 'every delivery in the dead-letter list')
    .option('--no-send', 'only queue them; the app (or `quarry deliveries send`) delivers')
    .action((ids: string[], opts: { allDead?: boolean; send: boolean }) =>
      withEngine(global(), io, async ({ engine, api }) => {
        if (!opts.allDead && ids.length === 0) throw new QuarryError('invalid_input', 'name the deliveries to retry, or pass --all-dead');
        const retried = await api.deliveries.retry(opts.allDead ? { allDead: true } : { ids: parseIds(ids) });
        io.stdout.write(`${retried.length} ${retried.length === 1 ? 'delivery' : 'deliveries'} queued again.\n`);
        await sendQueued(engine, io, opts.send);
      }),
    );

  deliveries
    .command('send')
    .description('deliver everything that is due now')
    .option('--json', 'print JSON ({ attempted, delivered, retrying, dead })')
    .action((opts: { json?: boolean }) =>
      withEngine(global(), io, async ({ engine }) => {
        const r = await findingsService(engine).worker.drain();
        if (opts.json) return printJson(io, r);
        io.stdout.write(r.attempted === 0 ? 'Nothing is due.\n' : `Deliveries: ${r.delivered} delivered, ${r.retrying} to retry, ${r.dead} dead.\n`);
      }),
    );
}
