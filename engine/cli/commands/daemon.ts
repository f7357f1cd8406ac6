import type { Command } from 'commander';
import { withEngine, type GlobalOptions } from '../context.js';
import { plural, type CliIo } from '../output.js';
import { CliFailure } from '../failure.js';
import { QuarryError } from '../../errors.js';
import { Scheduler, type SchedulerLogEvent } from '../../scheduler/scheduler.js';
import { parseDuration } from '../../scheduler/duration.js';
import { listSchedules } from '../../scheduler/schedule-repo.js';
import { startBackgroundWork } from '../../background-work.js';
import type { ScheduledRun } from '../../scheduler/views.js';

/** One line per finished run on standard output, e.g. for journald; everything else goes to standard error. */
export function runLine(r: ScheduledRun): string {
  const outcome = r.status === 'succeeded'
    ? `succeeded: ${plural(r.rowCount, 'row')} in ${((r.durationMs ?? 0) / 1000).toFixed(1)} s`
    : r.error?.startsWith(r.status) ? r.error : `${r.status}: ${r.error ?? ''}`;
  const notes = [
    r.trigger !== 'scheduled' ? r.trigger : null,
    r.missed > 0 ? `stood in for ${plural(r.missed, 'missed run')}` : null,
    ...r.warnings.map((w) => `warning: ${w}`),
  ].filter(Boolean);
  return `${r.endedAt ?? r.startedAt} run ${r.runId} "${r.huntName}" ${outcome}, window ${r.windowStart} .. ${r.windowEnd}${notes.length ? ` (${notes.join('; ')})` : ''}`;
}

function logEvent(io: CliIo, e: SchedulerLogEvent): void {
  if (e.type === 'run.finished') io.stdout.write(`${runLine(e.run)}\n`);
  else if (e.type === 'run.not-started') io.stderr.write(`quarry daemon: hunt ${e.huntId} could not start: ${e.reason}\n`);
  else if (e.type === 'clock.jump') io.stderr.write(`quarry daemon: woke up ${Math.round(e.ms / 1000)} s late (sleep or suspend): missed runs collapse into one catch-up run each\n`);
  else if (e.type === 'lock.lost') io.stderr.write('quarry daemon: another scheduler took over this data directory; stopping\n');
  else if (e.type === 'error') io.stderr.write(`quarry daemon: ${e.message}\n`);
}

/**
 * Resolves with the first SIGINT/SIGTERM (or a reason given to `stop`). After
 * the first signal the handlers are gone, so a second one gets Node's default
 * (exit at once), and crash recovery covers that.
 */
function stopSignal(): { stopped: Promise<string>; stop(reason: string): void; dispose(): void } {
  let stop: (reason: string) => void = () => undefined;
  const stopped = new Promise<string>((resolve) => (stop = resolve));
  const on = (signal: NodeJS.Signals): void => {
    dispose();
    stop(signal);
  };
  const dispose = (): void => {
    process.off('SIGINT', on);
    process.off('SIGTERM', on);
  };
  process.on('SIGINT', on);
  process.on('SIGTERM', on);
  return { stopped, stop, dispose };
}

export function registerDaemonCommands(program: Command, io: CliIo): void {
  const global = (): GlobalOptions => program.opts<GlobalOptions>();
  program
    .command('daemon')
    .description('run scheduled hunts, enrich their results and deliver findings until stopped (SIGINT/SIGTERM); for systemd, Task Scheduler or a terminal')
    .option('--concurrency <n>', 'runs at once across all hunts', '2')
    .option('--max-jitter <duration>', 'spread of start times across hunts (at most 10% of a schedule\'s period)', '60s')
    .action((o: { concurrency: string; maxJitter: string }) =>
      withEngine(global(), io, async ({ engine }) => {
        const concurrency = Number(o.concurrency);
        if (!Number.isInteger(concurrency) || concurrency < 1) throw new QuarryError('invalid_input', `--concurrency takes a whole number of at least 1, got "${o.concurrency}"`);
        // Listening before taking the lock: a SIGTERM sent as soon as the lock is visible must still stop us gracefully.
        const signal = stopSignal();
        try {
          const scheduler = Scheduler.start(engine, {
            kind: 'daemon',
            concurrency,
            maxJitterMs: parseDuration(o.maxJitter, '--max-jitter'),
            onLog: (e) => {
              logEvent(io, e);
              if (e.type === 'lock.lost') signal.stop('lock lost');
            },
          });
          // The daemon also delivers findings (its own and any left queued) and enriches runs, as the app does.
          const work = startBackgroundWork(engine, (line) => io.stderr.write(`quarry daemon: ${line}\n`));
          io.stderr.write(`quarry daemon: pid ${process.pid}, ${plural(listSchedules(engine.db).length, 'scheduled hunt')} in ${engine.dataDir}; SIGINT or SIGTERM stops it\n`);
          const why = await signal.stopped;
          const inFlight = scheduler.status().running.length;
          io.stderr.write(`quarry daemon: ${why}: stopping${inFlight ? `; ${plural(inFlight, 'run')} in flight will be marked interrupted and run again on the next start` : ''}\n`);
          work.stop();
          await scheduler.stop();
          if (why === 'lock lost') throw new CliFailure('stopped: another scheduler took over this data directory', true);
        } finally {
          signal.dispose();
        }
        io.stderr.write('quarry daemon: stopped\n');
      }),
    );
}
