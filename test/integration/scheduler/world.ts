import { afterEach } from 'vitest';
import type { Engine } from '../../../engine/engine.js';
import { createDispatcher } from '../../../engine/dispatch.js';
import { createClient, type QuarryClient } from '../../../engine/client.js';
import { QuarryError } from '../../../engine/errors.js';
import { Scheduler, type SchedulerLogEvent, type SchedulerOptions } from '../../../engine/scheduler/scheduler.js';
import type { SourceFactory, SourceQuery, ResultSink } from '../../../connectors/sources/types.js';
import { openTestEngine } from '../../helpers/engine.js';
import { FakeTime } from './fake-time.js';

/** One call of the hunt's query as the source saw it. */
export interface SourceCall {
  hunt: string;
  window: { start: string; end: string };
  finish(rows?: number): void;
  fail(message: string): void;
  readonly signal: AbortSignal;
}

/**
 * A source the test controls: by default every query returns one row at
 * once; with `hold` set, queries wait until the test finishes them, so runs
 * can be kept in flight while time moves. The query text is the hunt's id.
 */
export class GateSource {
  hold = false;
  readonly calls: SourceCall[] = [];
  private inFlight = new Map<string, number>();
  maxInFlight = 0;
  maxInFlightPerHunt = 0;

  readonly factory: SourceFactory = () => ({
    run: (q, sink) => this.run(q, sink),
    test: async () => 'gate',
    close: async () => undefined,
  });

  get pending(): SourceCall[] {
    return this.calls.filter((c) => !c.signal.aborted && this.open.has(c));
  }

  private readonly open = new Set<SourceCall>();

  private async run(q: SourceQuery, sink: ResultSink): Promise<void> {
    const hunt = q.query;
    this.inFlight.set(hunt, (this.inFlight.get(hunt) ?? 0) + 1);
    this.maxInFlightPerHunt = Math.max(this.maxInFlightPerHunt, this.inFlight.get(hunt)!);
    this.maxInFlight = Math.max(this.maxInFlight, [...this.inFlight.values()].reduce((a, b) => a + b, 0));
    try {
      const rows = await new Promise<number>((resolve, reject) => {
        const call: SourceCall = {
          hunt,
          window: q.window!,
          signal: q.signal,
          finish: (n = 1) => { this.open.delete(call); resolve(n); },
          fail: (message) => { this.open.delete(call); reject(new QuarryError('query_failed', message)); },
        };
        this.calls.push(call);
        this.open.add(call);
        q.signal.addEventListener('abort', () => { this.open.delete(call); reject(new QuarryError('cancelled', 'the run was cancelled')); });
        if (!this.hold) call.finish();
      });
      sink.setColumns([{ name: 'n', type: 'long' }]);
      await sink.writeRows(Array.from({ length: rows }, (_, i) => [i]));
    } finally {
      this.inFlight.set(hunt, this.inFlight.get(hunt)! - 1);
    }
  }
}

export interface World {
  time: FakeTime;
  gate: GateSource;
  engine: Engine;
  api: QuarryClient;
  log: SchedulerLogEvent[];
  addHunt(id: string): void;
  start(opts?: Partial<SchedulerOptions>): Scheduler;
}

const open: Engine[] = [];
afterEach(() => {
  for (const e of open.splice(0)) e.close();
});

export function clientOf(engine: Engine): QuarryClient {
  const dispatch = createDispatcher(engine);
  return createClient((m, a) => dispatch(m, a), (event, listener) => {
    engine.events.on(event, listener);
    return () => engine.events.off(event, listener);
  });
}

/** An engine on a fake clock (a Friday evening) with the gate as its local source; no jitter unless asked. */
export async function world(start = '2026-03-06T17:00:00.000Z', dataDir?: string): Promise<World> {
  const time = new FakeTime(start);
  const gate = new GateSource();
  const engine = await openTestEngine({ clock: time, sources: { local: gate.factory }, ...(dataDir ? { dataDir } : {}) });
  open.push(engine);
  const log: SchedulerLogEvent[] = [];
  return {
    time, gate, engine, log,
    api: clientOf(engine),
    addHunt: (id) => void engine.hunts.save({ id, name: `Hunt ${id}`, language: 'sql', connection: 'local', query: id }),
    // A long resync keeps fake-time tests short; the scheduler's own default (30 s) is tested on its own.
    start: (opts = {}) => Scheduler.start(engine, { kind: 'test', timers: time, maxJitterMs: 0, resyncMs: hours(6), onLog: (e) => log.push(e), ...opts }),
  };
}

export const hours = (n: number): number => n * 3_600_000;
export const minutes = (n: number): number => n * 60_000;
