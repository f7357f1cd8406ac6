import fs from 'node:fs';
import path from 'node:path';
import type { BenchFigure } from './figure.js';
import { benchDir } from './util.js';
import { Engine } from '../../engine/engine.js';
import { Scheduler } from '../../engine/scheduler/scheduler.js';
import { saveSchedule } from '../../engine/scheduler/schedule-repo.js';
import { scheduleConfig } from '../../engine/scheduler/config.js';

/**
 * 1,000 hunts scheduled every minute against the local source (a small
 * table), in real time, over two minute boundaries after the burst of first
 * runs: the scheduler's own CPU per run against the CPU of the same run
 * started directly, start-time drift against the due time, and the process's
 * CPU while nothing is due.
 */
const HUNTS = 1000;
const BASELINE_RUNS = 300;
const QUERY = 'SELECT user, count(*) AS n FROM auth WHERE time < @end GROUP BY user ORDER BY user';

const cpuMs = (since?: NodeJS.CpuUsage): number => {
  const u = process.cpuUsage(since);
  return (u.user + u.system) / 1000;
};

function quantile(sorted: number[], q: number): number {
  return sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))]!;
}

async function setUp(dataDir: string): Promise<Engine> {
  const engine = await Engine.open({ dataDir, sampleData: false });
  const csv = path.join(dataDir, 'auth.csv');
  const lines = ['time,user,ok'];
  for (let i = 0; i < 200; i++) lines.push(`2026-01-05T10:${String(i % 60).padStart(2, '0')}:00Z,user${i % 17},${i % 3 === 0}`);
  fs.writeFileSync(csv, `${lines.join('\n')}\n`);
  await engine.importLogs({ file: csv, table: 'auth' });
  engine.db.transaction(() => {
    for (let i = 0; i < HUNTS; i++) {
      const id = `bench-hunt-${i}`;
      engine.hunts.save({ id, name: `Bench hunt ${i}`, language: 'sql', connection: 'local', query: QUERY });
      saveSchedule(engine.db, id, scheduleConfig({ hunt: id, every: '1m' }), engine.clock.now());
    }
  })();
  return engine;
}

/** CPU per run when the runner is called directly, one run after another: what a run costs with no scheduler around it. */
async function directRunCpuMs(engine: Engine): Promise<number> {
  const end = new Date().toISOString();
  const start = new Date(Date.now() - 60_000).toISOString();
  for (let i = 0; i < 20; i++) await engine.runner.run({ hunt: `bench-hunt-${i}`, window: { start, end } }); // warm-up
  const cpu0 = process.cpuUsage();
  for (let i = 0; i < BASELINE_RUNS; i++) await engine.runner.run({ hunt: `bench-hunt-${i % HUNTS}`, window: { start, end } });
  return cpuMs(cpu0) / BASELINE_RUNS;
}

export default async function schedulerBench(): Promise<BenchFigure[]> {
  const dataDir = benchDir('scheduler');
  const engine = await setUp(dataDir);
  try {
    const baselineCpu = await directRunCpuMs(engine);

    const drifts: number[] = [];
    let runs = 0;
    let idleSince: { cpu: NodeJS.CpuUsage; wall: number } | null = null;
    let idleCpu = 0;
    let idleWall = 0;
    let scheduler: Scheduler | null = null;
    const endIdle = (): void => {
      if (!idleSince) return;
      const wall = performance.now() - idleSince.wall;
      // Only real gaps between bursts count; the short gaps inside a burst are noise.
      if (wall > 1000) {
        idleCpu += cpuMs(idleSince.cpu);
        idleWall += wall;
      }
      idleSince = null;
    };
    const phaseStart = Date.now();
    // Two grid minutes after the burst of first runs, each with its 0-6 s jitter spread, plus time for the last runs.
    const firstBoundary = Math.ceil((phaseStart + 5000) / 60_000) * 60_000;
    const phaseEnd = firstBoundary + 60_000 + 20_000;
    const cpu0 = process.cpuUsage();
    scheduler = Scheduler.start(engine, {
      kind: 'bench',
      measureCpu: true,
      onLog: (e) => {
        if (e.type === 'run.started') {
          endIdle();
          runs++;
          if (e.trigger === 'scheduled') drifts.push(Date.parse(e.startedAt) - Date.parse(e.dueAt));
        } else if (e.type === 'run.finished') {
          const s = scheduler?.status();
          if (s && s.running.length === 0 && s.queued === 0) idleSince = { cpu: process.cpuUsage(), wall: performance.now() };
        }
      },
    });
    await new Promise((resolve) => setTimeout(resolve, phaseEnd - Date.now()));
    endIdle();
    const totalCpu = cpuMs(cpu0);
    await scheduler.stop();

    const ownCpu = (scheduler.stats.cpuUs - scheduler.stats.runStartCpuUs) / 1000;
    const ownPerRun = ownCpu / runs;
    drifts.sort((a, b) => a - b);
    const median = quantile(drifts, 0.5);
    const p95 = quantile(drifts, 0.95);
    const idlePerSec = idleWall > 0 ? idleCpu / (idleWall / 1000) : 0;
    const note = `${runs} runs in ${((phaseEnd - phaseStart) / 1000).toFixed(0)} s, ${drifts.length} on the grid; process CPU ${(totalCpu / 1000).toFixed(1)} s, of it scheduler ${(ownCpu / 1000).toFixed(2)} s`;
    return [
      {
        name: `scheduler ${HUNTS} hunts every minute: scheduler CPU per run`, value: ownPerRun, unit: 'ms CPU',
        baselineName: 'the run itself (runner called directly, small local table)', baselineValue: baselineCpu,
        ratio: baselineCpu / ownPerRun, target: 2, note,
      },
      {
        name: 'scheduler start-time drift, median', value: median, unit: 'ms', baselineName: 'target', baselineValue: 1000,
        ratio: 1000 / Math.max(median, 1), target: 1, note: `p95 ${p95.toFixed(0)} ms, max ${drifts.at(-1)?.toFixed(0)} ms; due times spread by per-hunt jitter (0-6 s for 1m schedules)`,
      },
      {
        name: 'scheduler start-time drift, p95', value: p95, unit: 'ms', baselineName: 'one second', baselineValue: 1000, ratio: 1000 / Math.max(p95, 1),
      },
      {
        name: 'scheduler CPU while nothing is due', value: idlePerSec, unit: 'ms CPU per s', baselineName: '1% of one core', baselineValue: 10,
        ratio: 10 / Math.max(idlePerSec, 0.01), target: 1, note: `${(idleWall / 1000).toFixed(0)} s idle between bursts`,
      },
    ];
  } finally {
    engine.close();
    fs.rmSync(dataDir, { recursive: true, force: true });
  }
}
