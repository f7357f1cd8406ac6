import type { Clock } from '../../../engine/clock.js';
import type { Sleep } from '../../../connectors/http/http-client.js';

/** A clock tests move by hand; `sleep` advances it instead of waiting, so quota waits take no real time. */
export class FakeClock implements Clock {
  private ms: number;
  /** Every wait asked for through `sleep`, in ms. */
  readonly sleeps: number[] = [];

  constructor(start = '2026-03-10T12:00:00.000Z') {
    this.ms = Date.parse(start);
  }

  now(): Date {
    return new Date(this.ms);
  }

  advance(ms: number): void {
    this.ms += ms;
  }

  set(iso: string): void {
    this.ms = Date.parse(iso);
  }

  readonly sleep: Sleep = async (ms, signal) => {
    signal?.throwIfAborted();
    this.sleeps.push(ms);
    this.ms += ms;
  };
}
