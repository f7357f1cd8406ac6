import { describe, expect, it } from 'vitest';
import { Engine } from '../../../engine/engine.js';
import { createDispatcher } from '../../../engine/dispatch.js';
import { tempDir } from '../../helpers/temp-dir.js';
import { DaemonProcess, scheduledRuns, waitFor } from './daemon-process.js';

/** Slow enough to be killed mid-run (several seconds of rows), and it echoes the window it was given. */
const SLOW_QUERY = `WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < 600000)
SELECT i, @start AS windowStart, @end AS windowEnd FROM n`;

const OVERLAP_MS = 2000;

async function prepare(dataDir: string): Promise<void> {
  const engine = await Engine.open({ dataDir, sampleData: false });
  try {
    engine.hunts.save({ id: 'slow', name: 'Slow window probe', language: 'sql', connection: 'local', query: SLOW_QUERY });
    await createDispatcher(engine)('schedules.set', { hunt: 'slow', every: '10s', lookback: '10s', overlap: '2s', timeout: '5m' });
  } finally {
    engine.close();
  }
}

describe('quarry daemon killed mid-run', () => {
  it('marks the killed run interrupted, re-runs its window, and leaves no gap and no double window', async () => {
    const dataDir = tempDir('quarry-daemon-');
    await prepare(dataDir);

    const first = new DaemonProcess(dataDir);
    // Kill it while its second run is going, so there is a successful window before the killed one.
    const victim = await waitFor('a second run in flight', () => {
      const runs = scheduledRuns(dataDir);
      return runs.length >= 2 && runs[0]!.status === 'succeeded' && runs[1]!.status === 'running' ? runs[1] : undefined;
    }, 90_000, first);
    const killed = await first.kill('SIGKILL');
    expect(killed.signal).toBe('SIGKILL');
    expect(scheduledRuns(dataDir).find((r) => r.id === victim.id)).toMatchObject({ status: 'running', owner_pid: first.pid });

    const second = new DaemonProcess(dataDir);
    await waitFor('a recovery run and one more scheduled run to succeed', () => {
      const runs = scheduledRuns(dataDir).filter((r) => r.id > victim.id && r.status === 'succeeded');
      return runs.some((r) => r.trigger === 'recovery') && runs.length >= 2;
    }, 90_000, second);
    const stopped = await second.kill('SIGTERM');
    expect(stopped.code).toBe(0);
    expect(second.stderr).toMatch(/SIGTERM: stopping/);

    const runs = scheduledRuns(dataDir);
    const killedRun = runs.find((r) => r.id === victim.id)!;
    expect(killedRun).toMatchObject({ status: 'interrupted', row_count: 0, owner_pid: null });
    const recovery = runs.find((r) => r.trigger === 'recovery')!;
    expect(recovery.window_start).toBe(killedRun.window_start);
    expect(recovery.status).toBe('succeeded');
    expect(recovery.row_count).toBe(600_000);

    const succeeded = runs.filter((r) => r.status === 'succeeded');
    expect(succeeded.length).toBeGreaterThanOrEqual(3);
    for (let i = 1; i < succeeded.length; i++) {
      // Each window starts exactly one overlap before the previous one ended: no gap, nothing beyond the overlap twice.
      expect(Date.parse(succeeded[i - 1]!.window_end) - Date.parse(succeeded[i]!.window_start)).toBe(OVERLAP_MS);
    }
    const covered = (t: string) => succeeded.some((r) => r.window_start <= t && t <= r.window_end);
    expect(covered(killedRun.window_start) && covered(killedRun.window_end)).toBe(true);
    // One line per finished run on stdout; the recovery run says what it was.
    expect(second.stdout).toMatch(new RegExp(`run ${recovery.id} "Slow window probe" succeeded: 600,000 rows .*\\(recovery\\)`));
  }, 240_000);
});
