import type { Engine } from '../engine.js';
import type { Run, Severity } from '../types.js';
import { getRun } from '../runs/run-repo.js';
import { QuarryError, errorMessage } from '../errors.js';
import { createHttpClient, type HttpClient } from '../../connectors/http/http-client.js';
import { SinkError } from '../../connectors/sinks/common.js';
import { OutboxWorker, defaultOutboxPolicy, type OutboxPolicy } from '../outbox/worker.js';
import { listDeliveries, requeueDelivery, type DeliveryFilter } from '../outbox/outbox-repo.js';
import { applyVerdicts, evaluateRun, queueFor, type EvaluationResult } from './evaluate.js';
import { addNote, getFinding, listFindings, listNotes, setFindingStatus } from './finding-repo.js';
import { getFindingRule, setFindingRule, type EffectiveRule, type FindingRuleInput } from './rules.js';
import { listRoutes, setRoutes, type Route, type RouteInput } from './routing.js';
import { SinkRegistry, getSink } from './sink-registry.js';
import type { Delivery, ExternalTicket, Finding, FindingDetail, FindingFilter, FindingNote, FindingUpdatedEvent } from './types.js';
import { indicatorVerdictSource, type VerdictSource } from './verdicts.js';
import { answeredVerdicts, indicatorValuesOf } from '../enrichment/run-verdicts.js';

/**
 * Findings for one engine: evaluating finished runs, the hunter's triage
 * (acknowledge, close, notes), rules, routes, sinks, and the outbox worker
 * that delivers. One per engine (see findingsService), sharing its store,
 * keychain, clock and event emitter.
 */

/** Test seams and tuning; none of it is stored. */
export interface FindingsOptions {
  verdicts?: VerdictSource;
  http?: HttpClient;
  /** Jitter source for retry backoff. */
  random?: () => number;
  policy?: Partial<OutboxPolicy>;
}

export class FindingsService {
  readonly sinks: SinkRegistry;
  readonly worker: OutboxWorker;
  private verdicts: VerdictSource;
  private http: HttpClient;
  private random: () => number = Math.random;
  private policy: OutboxPolicy = defaultOutboxPolicy;

  constructor(private readonly engine: Engine) {
    this.verdicts = runVerdictSource(engine);
    this.sinks = new SinkRegistry(engine.db, engine.secrets, engine.clock);
    // Retry-After given as an HTTP date is read against the engine's clock, so a fake clock governs it too.
    this.http = createHttpClient({ now: () => engine.clock.now().getTime() });
    this.worker = new OutboxWorker({
      db: engine.db,
      clock: engine.clock,
      events: engine.events,
      sinks: this.sinks,
      http: () => this.http,
      random: () => this.random(),
      policy: () => this.policy,
    });
  }

  configure(opts: FindingsOptions): this {
    if (opts.verdicts) this.verdicts = opts.verdicts;
    if (opts.http) this.http = opts.http;
    if (opts.random) this.random = opts.random;
    if (opts.policy) this.policy = { ...defaultOutboxPolicy, ...opts.policy };
    return this;
  }

  /** Opens or updates the findings a finished run implies, queues their deliveries, and announces new ones. */
  evaluateRun(runId: number): EvaluationResult {
    const { db, hunts, clock, events } = this.engine;
    const result = evaluateRun({ db, hunts, now: clock.now(), verdicts: this.verdicts }, runId);
    // Marked after: evaluating a run twice changes nothing, so a crash in between only means a harmless re-evaluation.
    db.prepare('INSERT OR IGNORE INTO finding_evaluations (run_id, evaluated_at) VALUES (?, ?)').run(runId, clock.now().toISOString());
    for (const id of result.created) events.emit('finding.created', getFinding(db, id));
    for (const id of result.updated) this.emitUpdated(id, result.previousSeverity[id]!, 'rehit');
    if (result.deliveriesQueued > 0) this.worker.kick();
    return result;
  }

  /**
   * Call when a run's threat-intel lookups finish: raises the severity of the
   * open findings it hit and updates their tickets. Returns the findings changed.
   */
  refreshVerdicts(runId: number): number[] {
    const { db, clock } = this.engine;
    const changed = applyVerdicts({ db, now: clock.now(), verdicts: this.verdicts }, runId);
    for (const c of changed) this.emitUpdated(c.id, c.previousSeverity, 'verdict');
    if (changed.length) this.worker.kick();
    return changed.map((c) => c.id);
  }

  private emitUpdated(id: number, previousSeverity: Severity, cause: FindingUpdatedEvent['cause']): void {
    const event: FindingUpdatedEvent = { ...getFinding(this.engine.db, id), previousSeverity, cause };
    this.engine.events.emit('finding.updated', event);
  }

  /**
   * Evaluates the succeeded runs whose findings were never evaluated: the
   * process died after the run was recorded and before its findings were.
   */
  evaluateMissedRuns(): number[] {
    const missed = this.engine.db
      .prepare(
        `SELECT id FROM runs WHERE status = 'succeeded' AND hunt_id IS NOT NULL
           AND id NOT IN (SELECT run_id FROM finding_evaluations) ORDER BY id`,
      )
      .pluck()
      .all() as number[];
    for (const runId of missed) this.onRunFinished(getRun(this.engine.db, runId));
    return missed;
  }

  /** The run.finished listener: findings must never break a run, so a failure here is only reported. */
  onRunFinished(run: Run): void {
    if (run.status !== 'succeeded' || !run.huntId) return;
    try {
      this.evaluateRun(run.id);
    } catch (err) {
      this.engine.events.emit('findings.error', { runId: run.id, message: errorMessage(err) });
    }
  }

  list(filter: FindingFilter = {}): Finding[] {
    return listFindings(this.engine.db, filter);
  }

  get(id: number): FindingDetail {
    const db = this.engine.db;
    const finding = getFinding(db, id);
    const tickets = db
      .prepare(
        `SELECT s.name AS sink, s.kind AS sinkKind, t.external_id AS externalId, t.external_key AS key, t.url
         FROM sink_tickets t JOIN sinks s ON s.id = t.sink_id WHERE t.finding_id = ? ORDER BY s.name`,
      )
      .all(id) as ExternalTicket[];
    return { ...finding, notes: listNotes(db, id), deliveries: listDeliveries(db, { findingId: id }).reverse(), tickets };
  }

  acknowledge(id: number, note?: string): FindingDetail {
    return this.transition(id, 'acknowledged', note ?? null);
  }

  close(id: number, reason?: string): FindingDetail {
    return this.transition(id, 'closed', reason ?? null);
  }

  addNote(id: number, text: string): FindingNote {
    getFinding(this.engine.db, id);
    return addNote(this.engine.db, id, text, this.engine.clock.now().toISOString());
  }

  private transition(id: number, status: 'acknowledged' | 'closed', text: string | null): FindingDetail {
    const { db, clock } = this.engine;
    const now = clock.now().toISOString();
    let queued = 0;
    db.transaction(() => {
      const f = getFinding(db, id);
      if (f.status === 'closed') throw new QuarryError('conflict', `finding ${id} is closed`);
      if (f.status === status) throw new QuarryError('conflict', `finding ${id} is already ${status}`);
      if (text) addNote(db, id, status === 'closed' ? `Closed: ${text}` : text, now);
      setFindingStatus(db, id, status, now, text);
      queued = queueFor(db, getFinding(db, id), status === 'closed' ? 'resolve' : 'acknowledge', now);
    })();
    if (queued) this.worker.kick();
    return this.get(id);
  }

  getRule(hunt: string): EffectiveRule {
    return getFindingRule(this.engine.db, this.engine.hunts.get(hunt));
  }

  setRule(hunt: string, rule: FindingRuleInput | null): EffectiveRule {
    return setFindingRule(this.engine.db, this.engine.hunts.get(hunt), rule, this.engine.clock.now());
  }

  listRoutes(): Route[] {
    return listRoutes(this.engine.db);
  }

  setRoutes(routes: RouteInput[]): Route[] {
    return setRoutes(this.engine.db, routes);
  }

  listDeliveries(filter: DeliveryFilter = {}): Delivery[] {
    return listDeliveries(this.engine.db, filter);
  }

  /** Puts deliveries back in the queue (by id, or every dead one) and wakes the worker. */
  retryDeliveries(ids: number[] | 'dead'): Delivery[] {
    const { db, clock } = this.engine;
    const now = clock.now().toISOString();
    const targets = ids === 'dead' ? listDeliveries(db, { state: 'dead' }).map((d) => d.id) : ids;
    const retried = db.transaction(() => targets.map((id) => requeueDelivery(db, id, now)))();
    for (const d of retried) {
      this.engine.events.emit('delivery.status', {
        deliveryId: d.id, findingId: d.findingId, sink: d.sink, sinkKind: d.sinkKind, action: d.action,
        state: d.state, attempts: d.attempts, nextAttemptAt: d.nextAttemptAt, error: d.lastError,
      });
    }
    if (retried.length) this.worker.kick();
    return retried;
  }

  async testSink(nameOrId: string, send: boolean): Promise<{ sink: string; kind: string; detail: string }> {
    const sink = getSink(this.engine.db, nameOrId);
    try {
      const detail = await this.sinks.open(sink, this.http).test({ send });
      return { sink: sink.name, kind: sink.kind, detail };
    } catch (err) {
      if (err instanceof SinkError) throw new QuarryError('connection_failed', `sink "${sink.name}": ${err.message}`);
      throw err;
    }
  }
}

/** The verdicts enrichment stored with the run; entity values match the indicators they canonically are. */
function runVerdictSource(engine: Engine): VerdictSource {
  const stored = indicatorVerdictSource((runId) => answeredVerdicts(engine.db, runId));
  return { maxVerdictFor: (runId, values) => stored.maxVerdictFor(runId, indicatorValuesOf(values)) };
}

const services = new WeakMap<Engine, FindingsService>();

/** The engine's findings service, created on first use. */
export function findingsService(engine: Engine): FindingsService {
  let service = services.get(engine);
  if (!service) {
    service = new FindingsService(engine);
    services.set(engine, service);
  }
  return service;
}

/** Evaluates findings whenever a run finishes. Engine.open calls this once. */
export function attachFindings(engine: Engine): void {
  const service = findingsService(engine);
  engine.events.on('run.finished', (run: Run) => service.onRunFinished(run));
  service.evaluateMissedRuns();
}
