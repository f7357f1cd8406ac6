import type { Engine } from '../engine.js';
import type { Run } from '../types.js';
import { QuarryError, errorMessage } from '../errors.js';
import { SchedulerLock } from './lock.js';
import { systemTimers, MAX_TIMER_MS, type Timers } from './timers.js';
import type { SchedulerLogEvent, SchedulerOptions } from './options.js';
import { countFires, nextDueAfter, jitterMs, DEFAULT_MAX_JITTER_MS } from './spec.js';
import { nextWindow, type RunWindow } from './window.js';
import {
  lastSuccessEnd, latestRunStatus, listSchedules, readSchedulerState, recordScheduledRun, setLastError, setNextDue,
  type RunTrigger, type ScheduleRecord,
} from './schedule-repo.js';
import { capWarning, scheduleHistory, scheduleView, scheduleViews, type RuntimeSnapshot, type ScheduleView } from './views.js';
import { addRunWarning, interruptNow, markStoppedByShutdown, markTimedOut } from './run-outcome.js';
import type { SchedulerStatus } from './status.js';
import { takeCancelRequests } from './cancel-requests.js';

export type { SchedulerLogEvent, SchedulerOptions };

interface QueueItem {
  scheduleId: number;
  huntId: string;
  dueMs: number;
  missed: number;
  coalesced: boolean;
}

interface ActiveRun {
  item: QueueItem;
  runId: number;
  timeoutMs: number;
  timeout: unknown;
  timedOut: boolean;
  capped: RunWindow['capped'];
  /** A fire that came while this run was going: it runs right after, covering what this one could not. */
  again: QueueItem | null;
  settled: Promise<void>;
}

const TIMEOUT_GRACE_MS = 5000;
const DEFAULT_CANCEL_POLL_MS = 2000;

/**
 * Runs scheduled hunts: one timer to the next due time, a queue behind a
 * global concurrency limit, at most one run per hunt, each run covering the
 * time since the hunt's last successful window. Everything it must not
 * forget lives in the store; the rest is rebuilt on start.
 */
export class Scheduler {
  /** CPU time spent in scheduler code, and the part of it that was the runner starting runs (a local query runs inside start()). */
  readonly stats = { cpuUs: 0, runStartCpuUs: 0, wakeups: 0 };
  private readonly timers: Timers;
  private readonly concurrency: number;
  private readonly maxJitterMs: number;
  private readonly resyncMs: number;
  private readonly jumpThresholdMs: number;
  private schedules = new Map<number, ScheduleRecord>();
  /** nextDueAt as numbers: arm() reads every schedule's after each run, so no date parsing there. */
  private readonly dueMs = new Map<number, number>();
  private pausedAll = false;
  private revision = -1;
  private queue: QueueItem[] = [];
  private readonly active = new Map<string, ActiveRun>();
  private timer: unknown = null;
  /** Set only while runs are in flight: looks for cancel requests from other processes. */
  private cancelTimer: unknown = null;
  private armedForMs: number | null = null;
  private lastHeartbeatMs = 0;
  private lastClockJump: SchedulerStatus['lastClockJump'] = null;
  private stopped = false;

  private constructor(
    private readonly engine: Engine,
    private readonly lock: SchedulerLock,
    private readonly opts: SchedulerOptions,
  ) {
    this.timers = opts.timers ?? systemTimers;
    this.concurrency = Math.max(1, opts.concurrency ?? 2);
    this.maxJitterMs = opts.maxJitterMs ?? DEFAULT_MAX_JITTER_MS;
    this.resyncMs = Math.min(MAX_TIMER_MS, opts.resyncMs ?? 30_000);
    this.jumpThresholdMs = opts.jumpThresholdMs ?? 60_000;
  }

  /** Takes the data directory's scheduler lock (or throws naming its holder) and starts scheduling. */
  static start(engine: Engine, opts: SchedulerOptions): Scheduler {
    if (engine.scheduler) throw new QuarryError('conflict', 'this engine already runs the scheduler');
    const lock = SchedulerLock.acquire(engine.db, opts.kind, opts.lock);
    const scheduler = new Scheduler(engine, lock, opts);
    engine.scheduler = scheduler;
    try {
      scheduler.recoverInterrupted();
      scheduler.refresh();
    } catch (err) {
      scheduler.stopNow(); // do not keep the data directory locked by a scheduler that never started
      throw err;
    }
    return scheduler;
  }

  /** Re-reads schedules and state now; the API calls it after every change so edits take effect at once. */
  refresh(): void {
    this.revision = -1;
    this.wake();
  }

  status(): SchedulerStatus {
    let paused = 0;
    for (const s of this.schedules.values()) if (s.paused) paused++;
    const next = this.nextDueMs();
    return {
      active: !this.stopped,
      holder: this.stopped ? null : this.lock.holder,
      pausedAll: this.pausedAll,
      schedules: this.schedules.size,
      paused,
      running: [...this.active.values()].map((a) => ({ huntId: a.item.huntId, runId: a.runId })),
      queued: this.queue.length,
      nextRunAt: next === null ? null : new Date(next).toISOString(),
      lastClockJump: this.lastClockJump,
    };
  }

  private nextDueMs(): number | null {
    if (this.pausedAll) return null;
    let next: number | null = null;
    for (const s of this.schedules.values()) {
      const due = this.dueMs.get(s.id);
      if (!s.paused && due !== undefined && (next === null || due < next)) next = due;
    }
    return next;
  }

  views(): ScheduleView[] {
    return scheduleViews(this.engine.db, this.engine.clock.now(), this.snapshot());
  }

  view(huntId: string): ScheduleView | undefined {
    return scheduleView(this.engine.db, huntId, this.engine.clock.now(), this.snapshot());
  }

  private snapshot(): RuntimeSnapshot {
    return {
      queued: new Set(this.queue.map((q) => q.huntId)),
      running: new Map([...this.active.values()].map((a) => [a.item.huntId, a.runId])),
      maxJitterMs: this.maxJitterMs,
    };
  }

  /** Cancels the hunt's scheduled run if one is going; its window is covered by the next run. */
  cancel(huntId: string): boolean {
    const a = this.active.get(huntId);
    return a ? this.engine.runner.cancel(a.runId) : false;
  }

  private armCancelPoll(): void {
    if (this.cancelTimer !== null || this.stopped) return;
    this.cancelTimer = this.timers.setTimeout(() => this.pollCancels(), this.opts.cancelPollMs ?? DEFAULT_CANCEL_POLL_MS);
  }

  /** Cancels the runs another process asked to cancel (`quarry schedule cancel` next to a daemon). */
  private pollCancels(): void {
    this.cancelTimer = null;
    if (this.stopped || this.active.size === 0) return;
    const cpu0 = this.opts.measureCpu ? process.cpuUsage() : null;
    try {
      for (const runId of takeCancelRequests(this.engine.db, [...this.active.values()].map((a) => a.runId))) this.engine.runner.cancel(runId);
    } catch (err) {
      this.log({ type: 'error', message: errorMessage(err) });
    }
    this.armCancelPoll();
    if (cpu0) this.addCpu(cpu0);
  }

  /**
   * Graceful shutdown (SIGTERM, quitting the app): no new runs, in-flight runs
   * cancelled and recorded as interrupted so the next start runs their
   * windows again, then the lock is released.
   */
  async stop(): Promise<void> {
    if (this.stopped) return;
    this.halt();
    const pending = [...this.active.values()];
    for (const a of pending) this.engine.runner.cancel(a.runId);
    const grace = this.opts.shutdownGraceMs ?? 10_000;
    let graceTimer: NodeJS.Timeout | undefined;
    await Promise.race([
      Promise.allSettled(pending.map((a) => a.settled)),
      new Promise((resolve) => (graceTimer = setTimeout(resolve, grace))),
    ]);
    clearTimeout(graceTimer);
    this.release(true);
  }

  /** Shutdown that cannot wait (Engine.close, just before the store closes): in-flight runs are marked interrupted at once. */
  stopNow(): void {
    if (this.stopped) return;
    this.halt();
    for (const a of this.active.values()) this.engine.runner.cancel(a.runId);
    this.release(true);
  }

  private halt(): void {
    this.stopped = true;
    if (this.timer !== null) this.timers.clearTimeout(this.timer);
    this.timer = null;
    if (this.cancelTimer !== null) this.timers.clearTimeout(this.cancelTimer);
    this.cancelTimer = null;
    this.queue = [];
  }

  /** `interrupt`: runs still going are recorded as interrupted now (only when the store closes next, so no runner writes after). */
  private release(interrupt: boolean): void {
    const { db, clock } = this.engine;
    if (interrupt && db.open) for (const a of this.active.values()) interruptNow(db, a.runId, clock.now());
    for (const a of this.active.values()) this.timers.clearTimeout(a.timeout);
    if (interrupt) this.active.clear();
    this.lock.release();
    if (this.engine.scheduler === this) this.engine.scheduler = null;
    this.emitStatus();
  }

  /** A run cut short by a crash or kill is due again at once, over the same window, rather than at its next fire. */
  private recoverInterrupted(): void {
    const now = this.engine.clock.now();
    for (const s of listSchedules(this.engine.db)) {
      if (latestRunStatus(this.engine.db, s.id) !== 'interrupted') continue;
      if (!s.nextDueAt || Date.parse(s.nextDueAt) > now.getTime()) setNextDue(this.engine.db, s.id, now.toISOString());
    }
  }

  private wake(): void {
    if (this.stopped) return;
    const cpu0 = this.opts.measureCpu ? process.cpuUsage() : null;
    this.stats.wakeups++;
    this.timer = null;
    try {
      const now = this.engine.clock.now().getTime();
      this.noteClockJump(now);
      if (!this.keepLock()) return;
      this.reloadIfChanged(now);
      if (!this.pausedAll) {
        for (const s of this.schedules.values()) if (!s.paused && (this.dueMs.get(s.id) ?? Infinity) <= now) this.fire(s, now);
      }
      this.pump();
    } catch (err) {
      // A busy store or a bad row must not stop the scheduler: log it and try again at the next wake-up.
      this.log({ type: 'error', message: errorMessage(err) });
    }
    this.arm();
    if (cpu0) this.addCpu(cpu0);
  }

  private noteClockJump(now: number): void {
    if (this.armedForMs !== null && now - this.armedForMs > this.jumpThresholdMs) {
      this.lastClockJump = { at: new Date(now).toISOString(), ms: now - this.armedForMs };
      this.log({ type: 'clock.jump', ...this.lastClockJump });
    }
    this.armedForMs = null;
  }

  private keepLock(): boolean {
    const real = Date.now();
    if (real - this.lastHeartbeatMs < this.resyncMs / 2) return true;
    this.lastHeartbeatMs = real;
    if (this.lock.heartbeat()) return true;
    // Another scheduler took the data directory over (we looked dead): stop, and let our runs end as interrupted.
    this.log({ type: 'lock.lost' });
    this.halt();
    for (const a of this.active.values()) this.engine.runner.cancel(a.runId);
    this.release(false);
    return false;
  }

  private reloadIfChanged(now: number): void {
    const state = readSchedulerState(this.engine.db);
    if (state.revision === this.revision) return;
    this.revision = state.revision;
    this.pausedAll = state.pausedAll;
    this.schedules = new Map(listSchedules(this.engine.db).map((s) => [s.id, s]));
    this.dueMs.clear();
    for (const s of this.schedules.values()) {
      if (s.nextDueAt) this.dueMs.set(s.id, Date.parse(s.nextDueAt));
      else this.setDue(s, nextDueAfter(s.huntId, s.spec, new Date(now), this.maxJitterMs).getTime());
    }
    // Queued runs of schedules that were removed or paused since do not start.
    this.queue = this.queue.filter((q) => !this.pausedAll && this.schedules.get(q.scheduleId)?.paused === false);
    this.emitStatus();
  }

  private setDue(s: ScheduleRecord, dueMs: number): void {
    s.nextDueAt = new Date(dueMs).toISOString();
    this.dueMs.set(s.id, dueMs);
    setNextDue(this.engine.db, s.id, s.nextDueAt);
  }

  /** Every fire missed since the due time collapses into this one run; the next due time is the first after now. */
  private fire(s: ScheduleRecord, now: number): void {
    const dueMs = this.dueMs.get(s.id)!;
    const jitter = jitterMs(s.huntId, s.spec, this.maxJitterMs);
    const missed = countFires(s.spec, new Date(dueMs - jitter), new Date(now - jitter));
    this.setDue(s, nextDueAfter(s.huntId, s.spec, new Date(now), this.maxJitterMs).getTime());
    this.enqueue({ scheduleId: s.id, huntId: s.huntId, dueMs, missed, coalesced: false });
  }

  private enqueue(item: QueueItem): void {
    const running = this.active.get(item.huntId);
    if (running) {
      running.again = running.again ? { ...running.again, missed: running.again.missed + 1 + item.missed } : { ...item, coalesced: true };
      return;
    }
    const queued = this.queue.find((q) => q.huntId === item.huntId);
    if (queued) {
      queued.missed += 1 + item.missed;
      return;
    }
    this.queue.push(item);
    this.queue.sort((a, b) => a.dueMs - b.dueMs);
  }

  private pump(): void {
    while (!this.stopped && this.active.size < this.concurrency && this.queue.length > 0) this.startRun(this.queue.shift()!);
  }

  private startRun(item: QueueItem): void {
    const { db, clock, runner } = this.engine;
    const s = this.schedules.get(item.scheduleId);
    if (!s || s.paused || this.pausedAll) return;
    const now = clock.now();
    const lastEnd = lastSuccessEnd(db, s.id);
    const window = nextWindow({ now, lastSuccessEnd: lastEnd, origin: s.origin, lookbackMs: s.lookbackMs, overlapMs: s.overlapMs, maxWindowMs: s.maxWindowMs });
    if (!window) return this.notStarted(s, `nothing to cover: the clock is before the end of the last window (${lastEnd})`);
    const trigger: RunTrigger = lastEnd === null && latestRunStatus(db, s.id) === null ? 'first'
      : latestRunStatus(db, s.id) === 'interrupted' ? 'recovery'
      : item.coalesced ? 'coalesced' : item.missed > 0 ? 'catch-up' : 'scheduled';
    let started: { runId: number; done: Promise<Run> };
    const cpu0 = this.opts.measureCpu ? process.cpuUsage() : null;
    try {
      started = runner.start({ hunt: s.huntId, params: s.params, window: { start: window.start, end: window.end }, timeoutMs: s.timeoutMs });
    } catch (err) {
      return this.notStarted(s, errorMessage(err));
    } finally {
      if (cpu0) this.stats.runStartCpuUs += cpuSince(cpu0);
    }
    const { runId, done } = started;
    recordScheduledRun(db, { runId, scheduleId: s.id, huntId: s.huntId, trigger, dueAt: new Date(item.dueMs).toISOString(), missed: item.missed, capped: window.capped });
    s.lastError = null;
    const a: ActiveRun = { item, runId, timeoutMs: s.timeoutMs, timeout: null, timedOut: false, capped: window.capped, again: null, settled: Promise.resolve() };
    // The source gets the timeout too; this guard covers a source that does not honour it.
    a.timeout = this.timers.setTimeout(() => {
      a.timedOut = true;
      runner.cancel(runId);
    }, Math.min(MAX_TIMER_MS, s.timeoutMs + TIMEOUT_GRACE_MS));
    this.active.set(s.huntId, a);
    this.armCancelPoll();
    a.settled = done.then(() => this.finished(a), () => this.finished(a));
    const huntName = (db.prepare('SELECT hunt_name FROM runs WHERE id = ?').get(runId) as { hunt_name: string }).hunt_name;
    this.log({ type: 'run.started', huntId: s.huntId, huntName, runId, trigger, dueAt: new Date(item.dueMs).toISOString(), startedAt: now.toISOString(), window, missed: item.missed });
    this.emitStatus();
  }

  private notStarted(s: ScheduleRecord, reason: string): void {
    s.lastError = reason;
    setLastError(this.engine.db, s.id, reason);
    this.log({ type: 'run.not-started', huntId: s.huntId, reason });
    this.emitStatus();
  }

  private finished(a: ActiveRun): void {
    const cpu0 = this.opts.measureCpu ? process.cpuUsage() : null;
    const { db } = this.engine;
    this.timers.clearTimeout(a.timeout);
    const mine = this.active.get(a.item.huntId) === a; // false when stopNow() already recorded it
    if (mine) this.active.delete(a.item.huntId);
    if (this.active.size === 0 && this.cancelTimer !== null) {
      this.timers.clearTimeout(this.cancelTimer);
      this.cancelTimer = null;
    }
    if (!db.open) return;
    try {
      if (a.timedOut) markTimedOut(db, a.runId, a.timeoutMs);
      if (this.stopped) markStoppedByShutdown(db, a.runId);
      if (mine && a.capped) addRunWarning(db, a.runId, capWarning(a.capped));
      const run = scheduleHistory(db, a.item.huntId, 1)[0];
      if (mine && run) this.log({ type: 'run.finished', run });
    } catch (err) {
      this.log({ type: 'error', message: errorMessage(err) });
    }
    if (!this.stopped) {
      if (a.again) this.enqueue(a.again);
      this.pump();
      this.arm();
    }
    this.emitStatus();
    if (cpu0) this.addCpu(cpu0);
  }

  /** The single timer: to the earliest due time, but never longer than resyncMs. */
  private arm(): void {
    if (this.stopped) return;
    if (this.timer !== null) this.timers.clearTimeout(this.timer);
    const now = this.engine.clock.now().getTime();
    const next = Math.min(now + this.resyncMs, this.nextDueMs() ?? Infinity);
    const delay = Math.max(0, next - now);
    this.armedForMs = now + delay;
    this.timer = this.timers.setTimeout(() => this.wake(), delay);
  }

  private addCpu(cpu0: NodeJS.CpuUsage): void {
    this.stats.cpuUs += cpuSince(cpu0);
  }

  private log(e: SchedulerLogEvent): void {
    this.opts.onLog?.(e);
  }

  private emitStatus(): void {
    if (this.engine.events.listenerCount('schedule.status') > 0) this.engine.events.emit('schedule.status', this.status());
  }
}

function cpuSince(start: NodeJS.CpuUsage): number {
  const d = process.cpuUsage(start);
  return d.user + d.system;
}
