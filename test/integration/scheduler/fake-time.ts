import type { Clock } from '../../../engine/clock.js';
import type { Timers } from '../../../engine/scheduler/timers.js';

/** Lets promise chains and setImmediate callbacks (a run finishing) settle between fake timer fires. */
export async function settle(rounds = 8): Promise<void> {
  for (let i = 0; i < rounds; i++) await new Promise((resolve) => setImmediate(resolve));
}

/**
 * A clock and timers the test moves by hand. `advance` walks time forward
 * firing each timer at its due time (an awake machine); `suspend` jumps the
 * wall clock and only then fires overdue timers, late (a laptop that slept).
 */
export class FakeTime implements Clock, Timers {
  private ms: number;
  private seq = 0;
  private readonly timers = new Map<number, { at: number; fn: () => void }>();

  constructor(start: string) {
    this.ms = Date.parse(start);
  }

  now(): Date {
    return new Date(this.ms);
  }

  setTimeout(fn: () => void, ms: number): unknown {
    const id = ++this.seq;
    this.timers.set(id, { at: this.ms + Math.max(0, ms), fn });
    return id;
  }

  clearTimeout(handle: unknown): void {
    this.timers.delete(handle as number);
  }

  /** When the pending timers fire, soonest first. */
  get pendingTimers(): string[] {
    return [...this.timers.values()].map((t) => t.at).sort((a, b) => a - b).map((at) => new Date(at).toISOString());
  }

  async advance(ms: number): Promise<void> {
    const target = this.ms + ms;
    await settle();
    for (let next = this.earliest(target); next; next = this.earliest(target)) {
      this.ms = Math.max(this.ms, next.at);
      this.timers.delete(next.id);
      next.fn();
      await settle();
    }
    this.ms = target;
    await settle();
  }

  async advanceTo(iso: string): Promise<void> {
    await this.advance(Date.parse(iso) - this.ms);
  }

  /** The machine sleeps for `ms`: nothing fires meanwhile; on wake-up overdue timers fire at once. */
  async suspend(ms: number): Promise<void> {
    this.ms += ms;
    await this.advance(0);
  }

  private earliest(limit: number): { id: number; at: number; fn: () => void } | undefined {
    let best: { id: number; at: number; fn: () => void } | undefined;
    for (const [id, t] of this.timers) if (t.at <= limit && (!best || t.at < best.at)) best = { id, ...t };
    return best;
  }
}
