import os from 'node:os';
import { randomUUID } from 'node:crypto';
import type { Db } from '../store/db.js';
import { QuarryError } from '../errors.js';
import { processAlive } from '../runs/run-repo.js';

/** Who runs the scheduler: the desktop app's engine process or `quarry daemon` (tests name themselves). */
export type SchedulerKind = 'app' | 'daemon' | (string & {});

export interface LockHolder {
  pid: number;
  host: string;
  kind: SchedulerKind;
  since: string;
  heartbeatAt: string;
}

export interface LockOptions {
  isAlive?: (pid: number) => boolean;
  /** A holder silent this long is taken as dead even if its pid exists (the pid was reused after a reboot). */
  staleMs?: number;
  nowMs?: () => number;
}

const DEFAULT_STALE_MS = 10 * 60_000;
/** Locks this process holds: a row with our pid but another token is a previous life of the same pid (a container restart). */
const heldHere = new Set<string>();

interface LockRow {
  lock_token: string | null;
  lock_pid: number | null;
  lock_host: string | null;
  lock_kind: string | null;
  lock_since: string | null;
  lock_heartbeat_ms: number | null;
}

export const describeHolder = (h: LockHolder): string =>
  `${h.kind === 'daemon' ? 'quarry daemon' : h.kind === 'app' ? 'the Quarry app' : h.kind} (pid ${h.pid}${h.host === os.hostname() ? '' : ` on ${h.host}`}, since ${h.since})`;

function liveHolder(row: LockRow, o: Required<LockOptions>): LockHolder | null {
  if (!row.lock_token || row.lock_pid === null) return null;
  const sameHost = row.lock_host === os.hostname();
  if (sameHost && row.lock_pid === process.pid && !heldHere.has(row.lock_token)) return null;
  if (sameHost && !o.isAlive(row.lock_pid)) return null;
  if (o.nowMs() - (row.lock_heartbeat_ms ?? 0) > o.staleMs) return null;
  return {
    pid: row.lock_pid,
    host: row.lock_host ?? '',
    kind: row.lock_kind ?? 'unknown',
    since: row.lock_since ?? '',
    heartbeatAt: new Date(row.lock_heartbeat_ms ?? 0).toISOString(),
  };
}

const withDefaults = (o: LockOptions): Required<LockOptions> => ({
  isAlive: o.isAlive ?? processAlive,
  staleMs: o.staleMs ?? DEFAULT_STALE_MS,
  nowMs: o.nowMs ?? Date.now,
});

const readRow = (db: Db): LockRow => db.prepare('SELECT lock_token, lock_pid, lock_host, lock_kind, lock_since, lock_heartbeat_ms FROM scheduler_state WHERE id = 1').get() as LockRow;

/** The scheduler that holds the data directory now, if it is alive. */
export function lockHolder(db: Db, opts: LockOptions = {}): LockHolder | null {
  return liveHolder(readRow(db), withDefaults(opts));
}

/**
 * One scheduler per data directory: a row in the store with the holder's pid,
 * host and a heartbeat. Taking it is one IMMEDIATE transaction, so two
 * processes starting together cannot both win; a holder whose process is
 * gone (or silent past `staleMs`) is taken over. Heartbeats and lock checks
 * use real time, not the engine's clock: they are about live processes.
 */
export class SchedulerLock {
  private constructor(
    private readonly db: Db,
    readonly token: string,
    readonly holder: LockHolder,
    private readonly nowMs: () => number,
  ) {}

  static acquire(db: Db, kind: SchedulerKind, opts: LockOptions = {}): SchedulerLock {
    const o = withDefaults(opts);
    const token = randomUUID();
    const now = o.nowMs();
    const holder: LockHolder = { pid: process.pid, host: os.hostname(), kind, since: new Date(now).toISOString(), heartbeatAt: new Date(now).toISOString() };
    db.transaction(() => {
      const current = liveHolder(readRow(db), o);
      if (current) {
        throw new QuarryError('conflict', `the scheduler for this data directory already runs in ${describeHolder(current)}; stop it first (one scheduler per data directory)`);
      }
      db.prepare(
        `UPDATE scheduler_state SET lock_token = ?, lock_pid = ?, lock_host = ?, lock_kind = ?, lock_since = ?, lock_heartbeat_ms = ? WHERE id = 1`,
      ).run(token, holder.pid, holder.host, kind, holder.since, now);
    }).immediate();
    heldHere.add(token);
    return new SchedulerLock(db, token, holder, o.nowMs);
  }

  /** Refreshes the heartbeat; false when the lock was lost (taken over after we looked dead), and the scheduler must stop. */
  heartbeat(): boolean {
    return this.db.prepare('UPDATE scheduler_state SET lock_heartbeat_ms = ? WHERE id = 1 AND lock_token = ?').run(this.nowMs(), this.token).changes === 1;
  }

  release(): void {
    heldHere.delete(this.token);
    if (!this.db.open) return;
    this.db.prepare(
      `UPDATE scheduler_state SET lock_token = NULL, lock_pid = NULL, lock_host = NULL, lock_kind = NULL, lock_since = NULL, lock_heartbeat_ms = NULL
       WHERE id = 1 AND lock_token = ?`,
    ).run(this.token);
  }
}
