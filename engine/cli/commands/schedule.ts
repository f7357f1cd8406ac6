import type { Command } from 'commander';
import { withEngine, type GlobalOptions } from '../context.js';
import { collect, parseParamArgs } from '../setting-args.js';
import { printJson, printTable, plural, type CliIo } from '../output.js';
import { QuarryError } from '../../errors.js';
import { describeHolder } from '../../scheduler/lock.js';
import type { ScheduledRun, ScheduleView } from '../../scheduler/views.js';
import type { QuarryClient } from '../../client.js';

const windowText = (r: { windowStart: string; windowEnd: string } | null): string => (r ? `${r.windowStart} .. ${r.windowEnd}` : '-');
const seconds = (ms: number | null): string => (ms === null ? '-' : `${(ms / 1000).toFixed(1)} s`);

/** "2026-03-09 06:00:00 Europe/Berlin": a due time as the hunter set it, next to the UTC one. */
function inZone(iso: string, timezone: string): string {
  const local = new Intl.DateTimeFormat('sv-SE', {
    timeZone: timezone, year: 'numeric', month: '2-digit', day: '2-digit', hour: '2-digit', minute: '2-digit', second: '2-digit', hourCycle: 'h23',
  }).format(new Date(iso));
  return `${local} ${timezone}`;
}

const nextRunText = (v: ScheduleView): string => (v.nextRunAt ? `${v.nextRunAt} (${inZone(v.nextRunAt, v.timezone)})` : '(paused)');

/** What `schedule set` says: when it runs, what the first run covers, and how far a catch-up reaches. */
function setSummary(v: ScheduleView): string {
  const first = v.lastRun
    ? `Next run: ${nextRunText(v)}.`
    : `First run: as soon as the scheduler picks it up, covering the last ${v.lookback}.`;
  const windows = `Each run covers the time since the last successful one (overlap ${v.overlap}); a catch-up after sleep or downtime covers at most ${v.maxWindow} (--max-window); a run times out after ${v.timeout}.`;
  return `"${v.huntName}" runs ${v.description}.\n${first}\n${windows}\n`;
}

interface SetOptions {
  every?: string;
  cron?: string;
  daily?: string;
  tz?: string;
  lookback?: string;
  overlap?: string;
  maxWindow?: string;
  timeout?: string;
  param: string[];
  json?: boolean;
}

export function registerScheduleCommands(program: Command, io: CliIo): void {
  const global = (): GlobalOptions => program.opts<GlobalOptions>();
  const schedule = program.command('schedule').description('run hunts on a schedule, each run covering the time since the last successful one');

  schedule
    .command('set <hunt>')
    .description('put a hunt on a schedule, or change its schedule (its first run covers the lookback)')
    .option('--every <duration>', 'run every 15m, 1h, 1d … (on a fixed grid from 00:00 UTC)')
    .option('--cron <expression>', 'run on a cron expression, e.g. "0 6 * * 1-5", in --tz')
    .option('--daily <HH:MM>', 'run every day at this time of day in --tz')
    .option('--tz <zone>', 'IANA time zone for --cron and --daily (default: this machine\'s)')
    .option('--lookback <duration>', 'what the first run covers (default: one period)')
    .option('--overlap <duration>', 'how far each run reaches back into the previous window (default 0s)')
    .option('--max-window <duration>', 'the longest window a catch-up run covers; older time is skipped and reported (default 7d)')
    .option('--timeout <duration>', 'cancel a run after this long (default 1h)')
    .option('-p, --param <name=value>', 'a hunt parameter for scheduled runs (repeatable)', collect, [])
    .option('--json', 'print JSON (the schedule)')
    .action((ref: string, o: SetOptions) =>
      withEngine(global(), io, async ({ api }) => {
        const view = await api.schedules.set({
          hunt: ref, every: o.every, cron: o.cron, daily: o.daily, timezone: o.tz, lookback: o.lookback, overlap: o.overlap,
          maxWindow: o.maxWindow, timeout: o.timeout, params: o.param.length ? parseParamArgs(o.param) : undefined,
        });
        if (o.json) return printJson(io, view);
        io.stdout.write(setSummary(view));
        if (view.queryWarning) io.stdout.write(`warning: ${view.queryWarning}\n`);
        await noteWhoRunsIt(api, io);
      }),
    );

  for (const verb of ['pause', 'resume'] as const) {
    schedule
      .command(`${verb} [hunt]`)
      .description(verb === 'pause' ? 'stop running a hunt (or, with --all, every hunt) until resumed' : 'run a paused hunt again (or, with --all, lift pause-all); it first catches up the time it was paused')
      .option('--all', `${verb} all schedules`)
      .action((ref: string | undefined, o: { all?: boolean }) =>
        withEngine(global(), io, async ({ api }) => {
          if (Boolean(o.all) === Boolean(ref)) throw new QuarryError('invalid_input', `say which: quarry schedule ${verb} <hunt> or quarry schedule ${verb} --all`);
          if (o.all) {
            await (verb === 'pause' ? api.schedules.pauseAll() : api.schedules.resumeAll());
            return void io.stdout.write(verb === 'pause' ? 'All schedules paused.\n' : 'Schedules resumed.\n');
          }
          const view = await (verb === 'pause' ? api.schedules.pause({ hunt: ref! }) : api.schedules.resume({ hunt: ref! }));
          io.stdout.write(`"${view.huntName}" ${verb === 'pause' ? 'paused' : `resumed; next run ${view.nextRunAt ? nextRunText(view) : '(all schedules are paused)'}`}.\n`);
        }),
      );
  }

  schedule
    .command('remove <hunt>')
    .description('take a hunt off its schedule (its run history stays)')
    .action((ref: string) =>
      withEngine(global(), io, async ({ api }) => {
        await api.schedules.remove({ hunt: ref });
        io.stdout.write(`"${ref}" is no longer scheduled.\n`);
      }),
    );

  schedule
    .command('list')
    .description('scheduled hunts with their next run, overlap, catch-up cap (max window), last window and last status')
    .option('--json', 'print JSON (an array of schedules)')
    .action((o: { json?: boolean }) =>
      withEngine(global(), io, async ({ api }) => {
        const list = await api.schedules.list();
        if (o.json) return printJson(io, list);
        if (list.length === 0) return void io.stdout.write('No scheduled hunts. Schedule one with `quarry schedule set <hunt> --every 1h`.\n');
        if (list[0]!.pausedAll) io.stdout.write('All schedules are paused (quarry schedule resume --all).\n');
        printTable(io, ['HUNT', 'SCHEDULE', 'OVERLAP', 'MAX WINDOW', 'STATE', 'NEXT RUN', 'LAST WINDOW', 'LAST STATUS', 'ROWS'], list.map((v) => [
          v.huntName, v.description, v.overlap, v.maxWindow, v.state, v.nextRunAt ?? '-', windowText(v.lastRun), v.lastRun?.status ?? '-', v.lastRun?.rowCount ?? '-',
        ]), 60);
        io.stdout.write('MAX WINDOW: the most one catch-up run covers after the machine slept or Quarry was closed; older time is skipped and reported.\n');
        for (const v of list) {
          if (v.warning) io.stdout.write(`warning: ${v.huntName}: ${v.warning}\n`);
          if (v.queryWarning) io.stdout.write(`warning: ${v.huntName}: ${v.queryWarning}\n`);
        }
        await noteWhoRunsIt(api, io);
      }),
    );

  schedule
    .command('cancel <hunt>')
    .description('cancel the hunt\'s scheduled run in flight (also one quarry daemon runs); the next run covers its window')
    .action((ref: string) =>
      withEngine(global(), io, async ({ api }) => {
        const { runId, pending } = await api.schedules.cancel({ hunt: ref });
        if (!pending) return void io.stdout.write(`Run ${runId} cancelled; the next run covers its window.\n`);
        const { holder } = await api.schedules.status();
        io.stdout.write(`Asked ${holder ? describeHolder(holder) : 'the scheduler'} to cancel run ${runId}.\n`);
        const run = await waitUntilEnded(api, runId, CANCEL_WAIT_MS);
        io.stdout.write(run.status === 'running'
          ? `Run ${runId} is still going; it stops within seconds (quarry runs list shows when).\n`
          : `Run ${runId} ${run.status}; the next run covers its window.\n`);
      }),
    );

  schedule
    .command('history <hunt>')
    .description('scheduled runs of a hunt, newest first: status, window, rows, duration, error')
    .option('--limit <n>', 'at most this many', '20')
    .option('--json', 'print JSON (an array of scheduled runs)')
    .action((ref: string, o: { limit: string; json?: boolean }) =>
      withEngine(global(), io, async ({ api }) => {
        const runs = await api.schedules.history({ hunt: ref, limit: Math.max(1, Number(o.limit) || 20) });
        if (o.json) return printJson(io, runs);
        if (runs.length === 0) return void io.stdout.write(`No scheduled runs of "${ref}" yet.\n`);
        printTable(io, ['RUN', 'TRIGGER', 'STATUS', 'WINDOW', 'ROWS', 'DURATION', 'NOTE'], runs.map((r) => [
          r.runId, r.trigger, r.status, windowText(r), r.rowCount, seconds(r.durationMs), noteOf(r),
        ]), 200);
      }),
    );
}

/** How long `schedule cancel` waits to report a daemon's run as stopped: a few of the scheduler's 2 s polls. */
const CANCEL_WAIT_MS = 10_000;

async function waitUntilEnded(api: QuarryClient, runId: number, limitMs: number): Promise<{ status: string }> {
  const deadline = Date.now() + limitMs;
  for (;;) {
    const run = await api.runs.get({ runId });
    if (run.status !== 'running' || Date.now() >= deadline) return run;
    await new Promise((resolve) => setTimeout(resolve, 250));
  }
}

function noteOf(r: ScheduledRun): string {
  const notes = [r.missed > 0 ? `stood in for ${plural(r.missed, 'missed run')}` : null, r.error, ...r.warnings];
  return notes.filter(Boolean).join('; ');
}

/** Schedules only run while the app or a daemon holds the data directory: say which, or that none does. */
async function noteWhoRunsIt(api: QuarryClient, io: CliIo): Promise<void> {
  const { holder } = await api.schedules.status();
  io.stdout.write(holder ? `Scheduler: ${describeHolder(holder)}.\n` : 'No scheduler is running for this data directory: start the app or `quarry daemon`.\n');
}
