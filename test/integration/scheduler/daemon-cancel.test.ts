import { describe, expect, it } from 'vitest';
import { Engine } from '../../../engine/engine.js';
import { createDispatcher } from '../../../engine/dispatch.js';
import { tempDir } from '../../helpers/temp-dir.js';
import { quarry } from '../../helpers/cli.js';
import { DaemonProcess, scheduledRuns, waitFor } from './daemon-process.js';

/** Long enough to be cancelled while it runs (tens of millions of rows, streamed in batches). */
const ENDLESS_QUERY = `WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < 50000000)
SELECT i, @start AS windowStart, @end AS windowEnd FROM n`;

describe('quarry schedule cancel next to a running quarry daemon', () => {
  it('cancels the run the daemon has in flight; the daemon goes on, and says so', async () => {
    const dataDir = tempDir('quarry-daemon-cancel-');
    const engine = await Engine.open({ dataDir, sampleData: false });
    try {
      engine.hunts.save({ id: 'endless', name: 'Endless probe', language: 'sql', connection: 'local', query: ENDLESS_QUERY });
      await createDispatcher(engine)('schedules.set', { hunt: 'endless', every: '1h' });
    } finally {
      engine.close();
    }

    const daemon = new DaemonProcess(dataDir);
    try {
      const run = await waitFor('the first run to be in flight', () => scheduledRuns(dataDir).find((r) => r.status === 'running'), 90_000, daemon);
      const cancel = await quarry(['--data-dir', dataDir, 'schedule', 'cancel', 'Endless probe']);
      expect(cancel, cancel.stderr).toMatchObject({ code: 0, stderr: '' });
      expect(cancel.stdout).toMatch(new RegExp(`^Asked quarry daemon \\(pid ${daemon.pid}, since [^)]+\\) to cancel run ${run.id}\\.\\n`));
      expect(cancel.stdout).toMatch(new RegExp(`\\nRun ${run.id} (cancelled; the next run covers its window|is still going; it stops within seconds .*)\\.\\n$`));
      await waitFor('the run to end', () => scheduledRuns(dataDir).find((r) => r.id === run.id && r.status !== 'running'), 60_000, daemon);
      expect(scheduledRuns(dataDir).find((r) => r.id === run.id)).toMatchObject({ status: 'cancelled', row_count: 0 });
      await waitFor('the daemon to report it', () => daemon.stdout.includes(`run ${run.id} "Endless probe" cancelled by the user`), 30_000, daemon);
      expect(daemon.child.exitCode).toBeNull(); // still running the schedules
    } finally {
      const stopped = await daemon.kill('SIGTERM');
      expect(stopped.code).toBe(0);
    }
  }, 180_000);
});
