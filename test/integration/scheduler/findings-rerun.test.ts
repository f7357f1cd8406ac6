import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import type { Engine } from '../../../engine/engine.js';
import { Scheduler } from '../../../engine/scheduler/scheduler.js';
import { findingsService } from '../../../engine/findings/service.js';
import { createLocalSource } from '../../../connectors/sources/local/local-source.js';
import type { SourceFactory } from '../../../connectors/sources/types.js';
import { openTestEngine } from '../../helpers/engine.js';
import { tempDir } from '../../helpers/temp-dir.js';
import { FakeTime } from './fake-time.js';
import { clientOf, hours } from './world.js';

/**
 * Findings of scheduled runs over real imported logs (the local source, with
 * @start/@end): windows that are queried again (the overlap, a recovery run
 * after a crash, a catch-up days later) must not open a second finding for
 * activity a finding already holds.
 */

const DEAD_PID = 2 ** 22 + 4244;
const A = '198.51.100.9'; // only in the first window
const B = '203.0.113.7'; // in the overlap of the second and third window
const C = '192.0.2.44'; // only in the window of the run that gets killed

const HUNT = {
  id: 'failed-logons',
  name: 'Failed sign-ins by address',
  language: 'sql' as const,
  connection: 'local',
  query: `SELECT IPAddress, count(*) AS Failures FROM SigninLogs
    WHERE TimeGenerated >= @start AND TimeGenerated < @end AND ResultType = 50126 GROUP BY IPAddress`,
  entityMappings: [{ entityType: 'IP', fieldMappings: [{ identifier: 'Address', columnName: 'IPAddress' }] }],
};

async function importSignins(engine: Engine): Promise<void> {
  const csv = path.join(tempDir('quarry-signins-'), 'signins.csv');
  fs.writeFileSync(csv, [
    'TimeGenerated,UserPrincipalName,IPAddress,ResultType',
    `2026-03-06T16:30:00Z,alice@contoso.com,${A},50126`,
    `2026-03-06T17:57:00Z,bob@contoso.com,${B},50126`,
    `2026-03-06T18:30:00Z,carol@contoso.com,${C},50126`,
  ].join('\n'));
  await engine.importLogs({ file: csv, table: 'SigninLogs' });
}

/** The real local source, held before it queries while `held` is set: a run that stays in flight until the process dies. */
function holdableLocal(): { factory: SourceFactory; held: { on: boolean } } {
  const held = { on: false };
  const factory: SourceFactory = (connection, ctx) => {
    const real = createLocalSource(connection, ctx);
    return {
      run: async (q, sink) => {
        if (held.on) await new Promise<void>((_, reject) => q.signal.addEventListener('abort', () => reject(new Error('cancelled'))));
        return real.run(q, sink);
      },
      test: () => real.test(),
      close: () => real.close(),
    };
  };
  return { factory, held };
}

/** SIGKILL in-process: nothing is cleaned up, and the rows name a pid that is gone. */
function die(engine: Engine): void {
  engine.db.prepare("UPDATE runs SET owner_pid = ? WHERE status = 'running'").run(DEAD_PID);
  engine.db.prepare('UPDATE scheduler_state SET lock_pid = ?').run(DEAD_PID);
  engine.scheduler = null;
  engine.db.close();
}

async function openAt(start: string, dataDir: string, sources?: { local: SourceFactory }): Promise<{ engine: Engine; time: FakeTime }> {
  const time = new FakeTime(start);
  const engine = await openTestEngine({ dataDir, clock: time, ...(sources ? { sources } : {}) });
  return { engine, time };
}

const startScheduler = (engine: Engine, time: FakeTime): Scheduler =>
  Scheduler.start(engine, { kind: 'test', timers: time, maxJitterMs: 0, resyncMs: hours(6) });

function findingsByAddress(engine: Engine): Map<string, Array<{ hitCount: number; runIds: number[] }>> {
  const out = new Map<string, Array<{ hitCount: number; runIds: number[] }>>();
  for (const f of findingsService(engine).list()) {
    const ip = f.entities[0]!.value;
    out.set(ip, [...(out.get(ip) ?? []), { hitCount: f.hitCount, runIds: f.runIds }]);
  }
  return out;
}

describe('scheduler: findings of re-run windows', () => {
  it('a crash, then a recovery run days later over the overlap: one finding per activity, none lost', async () => {
    const dataDir = tempDir('quarry-sched-findings-');
    const gate = holdableLocal();
    const friday = await openAt('2026-03-06T17:00:00.000Z', dataDir, { local: gate.factory });
    await importSignins(friday.engine);
    friday.engine.hunts.save(HUNT);
    await clientOf(friday.engine).schedules.set({ hunt: HUNT.id, every: '1h', overlap: '5m' });
    startScheduler(friday.engine, friday.time);
    await friday.time.advance(hours(1)); // 16:00-17:00 finds A; 16:55-18:00 finds B
    expect([...findingsByAddress(friday.engine).keys()].sort()).toEqual([A, B].sort());
    gate.held.on = true;
    await friday.time.advance(hours(1)); // 17:55-19:00 is in flight, with B (again) and C in its window
    die(friday.engine);

    // Monday morning: the next start re-runs the killed window, from the end of the last successful one minus the overlap.
    const monday = await openAt('2026-03-09T08:30:00.000Z', dataDir);
    startScheduler(monday.engine, monday.time);
    await monday.time.advance(0);
    const history = await clientOf(monday.engine).schedules.history({ hunt: HUNT.id });
    expect(history[0]).toMatchObject({ trigger: 'recovery', status: 'succeeded', windowStart: '2026-03-06T17:55:00.000Z', rowCount: 2 });

    const found = findingsByAddress(monday.engine);
    expect([...found.keys()].sort()).toEqual([A, B, C].sort());
    for (const ip of [A, B, C]) expect(found.get(ip), ip).toHaveLength(1);
    // B was seen by the 18:00 run and again by the recovery run: the same finding, hit twice.
    expect(found.get(B)![0]!).toEqual({ hitCount: 2, runIds: [history[2]!.runId, history[0]!.runId] });
    expect(found.get(C)![0]!.runIds).toEqual([history[0]!.runId]);
  });
});
