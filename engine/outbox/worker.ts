import type { EventEmitter } from 'node:events';
import type { Db } from '../store/db.js';
import type { Clock } from '../clock.js';
import { errorMessage } from '../errors.js';
import { backoffDelay, type HttpClient } from '../../connectors/http/http-client.js';
import { SinkError } from '../../connectors/sinks/common.js';
import { getFinding } from '../findings/finding-repo.js';
import { getSink, type SinkRegistry } from '../findings/sink-registry.js';
import { buildFindingMessage, type MessageTemplates } from '../findings/templates.js';
import type { Delivery, DeliveryStatusEvent } from '../findings/types.js';
import { claimDelivery, dueDeliveries, getDelivery, markDelivered, markFailed, nextDueAt, ticketFor } from './outbox-repo.js';

/**
 * Delivers the outbox: each due delivery is claimed (attempt counted, row
 * leased), sent through its sink, and recorded as delivered, to retry at a
 * later time (exponential backoff with jitter, or the server's Retry-After),
 * or dead. Permanent errors (400, 401, 403, 404...) and running out of
 * attempts dead-letter at once; the user can retry them. All times come from
 * the injected Clock; `drain()` runs everything due now and returns, so tests
 * drive it by moving a fake clock.
 */

export interface OutboxPolicy {
  maxAttempts: number;
  baseDelayMs: number;
  maxDelayMs: number;
  /** How long a claimed delivery is held before another worker may take it again (longer than any request). */
  leaseMs: number;
  /** A longer Retry-After is cut to this, so a wrong header cannot park a delivery for ever. */
  maxRetryAfterMs: number;
}

export const defaultOutboxPolicy: OutboxPolicy = {
  maxAttempts: 8,
  baseDelayMs: 30_000,
  maxDelayMs: 60 * 60_000,
  leaseMs: 5 * 60_000,
  maxRetryAfterMs: 24 * 60 * 60_000,
};

export interface OutboxWorkerDeps {
  db: Db;
  clock: Clock;
  events: EventEmitter;
  sinks: SinkRegistry;
  http: () => HttpClient;
  random: () => number;
  policy: () => OutboxPolicy;
}

export interface DrainResult {
  attempted: number;
  delivered: number;
  /** Failed this time, due again later. */
  retrying: number;
  dead: number;
  /** Set when the drain stopped on something other than a delivery failing (a store error). */
  error?: string;
}

/** While started, the worker also wakes this often to pick up deliveries another process queued. */
const POLL_MS = 30_000;

const iso = (ms: number): string => new Date(ms).toISOString();
/** Unexpected errors may quote a URL, and a webhook URL is a secret. */
const redact = (s: string): string => s.replace(/https?:\/\/\S+/g, '<url>');

export class OutboxWorker {
  private running: Promise<DrainResult> | null = null;
  private timer: NodeJS.Timeout | null = null;
  private started = false;

  constructor(private readonly deps: OutboxWorkerDeps) {}

  /** Delivers everything due now (waiting for a drain already under way first). Never rejects. */
  drain(): Promise<DrainResult> {
    if (this.running) return this.running.then(() => this.drain());
    this.running = this.drainOnce().finally(() => {
      this.running = null;
      this.schedule();
    });
    return this.running;
  }

  /** Keeps delivering in the background, waking when the next delivery falls due. */
  start(): void {
    this.started = true;
    this.arm(0);
  }

  stop(): void {
    this.started = false;
    if (this.timer) clearTimeout(this.timer);
    this.timer = null;
  }

  /** Something was queued: deliver soon if running in the background. */
  kick(): void {
    if (this.started) this.arm(0);
  }

  private async drainOnce(): Promise<DrainResult> {
    const totals: DrainResult = { attempted: 0, delivered: 0, retrying: 0, dead: 0 };
    const tried = new Set<number>();
    try {
      while (this.deps.db.open) {
        const due = dueDeliveries(this.deps.db, this.deps.clock.now().toISOString()).filter((d) => !tried.has(d.id));
        if (due.length === 0) break;
        // Sinks in parallel, each sink's deliveries one after the other (in order, and gentle on its rate limits).
        const bySink = new Map<string, Delivery[]>();
        for (const d of due) bySink.set(d.sinkId, [...(bySink.get(d.sinkId) ?? []), d]);
        await Promise.all([...bySink.values()].map(async (list) => {
          for (const d of list) {
            tried.add(d.id);
            await this.attempt(d, totals);
          }
        }));
      }
    } catch (err) {
      // A closed store (engine shutting down) is no error: what was claimed is retried after its lease.
      if (this.deps.db.open) totals.error = redact(errorMessage(err));
    }
    return totals;
  }

  private async attempt(d: Delivery, totals: DrainResult): Promise<void> {
    const { db, clock } = this.deps;
    const policy = this.deps.policy();
    const start = clock.now().getTime();
    if (!claimDelivery(db, d.id, iso(start), iso(start + policy.leaseMs))) return;
    totals.attempted++;
    try {
      const finding = getFinding(db, d.findingId);
      const sink = getSink(db, d.sinkId);
      const message = buildFindingMessage(finding, sink.settings as MessageTemplates, finding.closeReason);
      const result = await this.deps.sinks
        .open(sink, this.deps.http())
        .deliver({ action: d.action, finding: message, ticket: ticketFor(db, d.findingId, d.sinkId) });
      if (!db.open) return;
      markDelivered(db, d.id, result.detail, clock.now().toISOString(), result.ticket ? { findingId: d.findingId, sinkId: d.sinkId, ref: result.ticket } : null);
      totals.delivered++;
    } catch (err) {
      if (!db.open) return;
      const e = err instanceof SinkError ? err : null;
      const attempts = d.attempts + 1;
      let nextAttemptAt: string | null = null;
      if (!e?.permanent && attempts < policy.maxAttempts) {
        const wait = e?.retryAfterMs != null
          ? Math.min(e.retryAfterMs, policy.maxRetryAfterMs)
          : backoffDelay(policy, attempts, this.deps.random);
        nextAttemptAt = iso(clock.now().getTime() + wait);
      }
      const error = e ? e.message : `unexpected error: ${redact(errorMessage(err))}`;
      markFailed(db, d.id, { status: e?.status ?? null, error, nextAttemptAt }, clock.now().toISOString());
      if (nextAttemptAt) totals.retrying++;
      else totals.dead++;
    }
    this.emitStatus(d.id);
  }

  private emitStatus(id: number): void {
    const d = getDelivery(this.deps.db, id);
    const event: DeliveryStatusEvent = {
      deliveryId: d.id,
      findingId: d.findingId,
      sink: d.sink,
      sinkKind: d.sinkKind,
      action: d.action,
      state: d.state,
      attempts: d.attempts,
      nextAttemptAt: d.nextAttemptAt,
      error: d.lastError,
    };
    this.deps.events.emit('delivery.status', event);
  }

  private schedule(): void {
    if (!this.started || !this.deps.db.open) return;
    const due = nextDueAt(this.deps.db);
    const wait = due === null ? POLL_MS : Date.parse(due) - this.deps.clock.now().getTime();
    this.arm(Math.max(0, Math.min(POLL_MS, wait)));
  }

  private arm(ms: number): void {
    if (this.timer) clearTimeout(this.timer);
    this.timer = setTimeout(() => {
      this.timer = null;
      if (this.deps.db.open) void this.drain();
      else this.stop();
    }, ms);
    // A pending delivery never keeps a CLI process alive; the next start picks it up.
    this.timer.unref();
  }
}
