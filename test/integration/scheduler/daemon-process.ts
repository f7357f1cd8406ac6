import { spawn, type ChildProcessWithoutNullStreams } from 'node:child_process';
import Database from 'better-sqlite3';
import path from 'node:path';
import { quarryBin } from '../../helpers/cli.js';

/** A real `quarry daemon` process on a data directory, its output collected. */
export class DaemonProcess {
  readonly child: ChildProcessWithoutNullStreams;
  stdout = '';
  stderr = '';
  readonly exited: Promise<{ code: number | null; signal: NodeJS.Signals | null }>;

  constructor(dataDir: string, args: string[] = []) {
    this.child = spawn(process.execPath, [quarryBin, '--data-dir', dataDir, 'daemon', ...args], { stdio: 'pipe' });
    this.child.stdout.on('data', (d: Buffer) => (this.stdout += d.toString()));
    this.child.stderr.on('data', (d: Buffer) => (this.stderr += d.toString()));
    this.exited = new Promise((resolve) => this.child.on('exit', (code, signal) => resolve({ code, signal })));
  }

  get pid(): number {
    return this.child.pid!;
  }

  kill(signal: NodeJS.Signals): Promise<{ code: number | null; signal: NodeJS.Signals | null }> {
    this.child.kill(signal);
    return this.exited;
  }
}

/** Polls until `check` returns a value; fails with `what` (and the daemon's output) after `limitMs`. Waiting, not timing: nothing asserts how long it took. */
export async function waitFor<T>(what: string, check: () => T | undefined | null | false, limitMs = 60_000, daemon?: DaemonProcess): Promise<T> {
  const deadline = Date.now() + limitMs;
  for (;;) {
    const value = check();
    if (value) return value;
    if (Date.now() > deadline) throw new Error(`gave up waiting for ${what}${daemon ? `\nstdout: ${daemon.stdout}\nstderr: ${daemon.stderr}` : ''}`);
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}

/** Reads the store while a daemon writes to it (WAL lets a reader in). */
export function readStore<T>(dataDir: string, fn: (db: Database.Database) => T): T {
  const db = new Database(path.join(dataDir, 'quarry.db'), { readonly: true });
  try {
    db.pragma('busy_timeout = 5000');
    return fn(db);
  } finally {
    db.close();
  }
}

export interface StoredScheduledRun {
  id: number;
  status: string;
  trigger: string;
  window_start: string;
  window_end: string;
  owner_pid: number | null;
  row_count: number;
}

export function scheduledRuns(dataDir: string): StoredScheduledRun[] {
  return readStore(dataDir, (db) => db.prepare(
    `SELECT r.id, r.status, s.trigger, r.window_start, r.window_end, r.owner_pid, r.row_count
     FROM schedule_runs s JOIN runs r ON r.id = s.run_id ORDER BY r.id`,
  ).all() as StoredScheduledRun[]);
}
