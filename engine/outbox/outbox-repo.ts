import type { Db } from '../store/db.js';
import { QuarryError, notFound } from '../errors.js';
import type { DeliveryAction, SinkKind, TicketRef } from '../../connectors/sinks/types.js';
import type { Delivery, DeliveryState } from '../findings/types.js';

/**
 * The durable outbox: one row per (finding, sink, action) to deliver. Rows
 * are written in the same transaction as the finding change they report, so
 * a finding never exists without its deliveries, and a delivery survives any
 * restart until it is delivered or dead-lettered.
 */

interface Row {
  id: number;
  finding_id: number;
  sink_id: string;
  sink_name: string;
  sink_kind: string;
  action: string;
  state: string;
  attempts: number;
  next_attempt_at: string;
  last_status: number | null;
  last_error: string | null;
  detail: string | null;
  created_at: string;
  updated_at: string;
  delivered_at: string | null;
}

const SELECT = `SELECT d.*, s.name AS sink_name, s.kind AS sink_kind FROM deliveries d JOIN sinks s ON s.id = d.sink_id`;

const fromRow = (r: Row): Delivery => ({
  id: r.id,
  findingId: r.finding_id,
  sinkId: r.sink_id,
  sink: r.sink_name,
  sinkKind: r.sink_kind as SinkKind,
  action: r.action as DeliveryAction,
  state: r.state as DeliveryState,
  attempts: r.attempts,
  nextAttemptAt: r.state === 'pending' ? r.next_attempt_at : null,
  lastStatus: r.last_status,
  lastError: r.last_error,
  detail: r.detail,
  createdAt: r.created_at,
  updatedAt: r.updated_at,
  deliveredAt: r.delivered_at,
});

/**
 * Queues a delivery. A re-hit while an earlier create/update to the same sink
 * has not been tried yet adds nothing: that one will send the finding as it
 * is by then. (Once tried, it may already be in the sink, so a new row is needed.)
 */
export function enqueueDelivery(db: Db, findingId: number, sinkId: string, action: DeliveryAction, now: string): number | null {
  if (action === 'update') {
    const waiting = db
      .prepare("SELECT id FROM deliveries WHERE finding_id = ? AND sink_id = ? AND state = 'pending' AND attempts = 0 AND action IN ('create', 'update')")
      .get(findingId, sinkId);
    if (waiting) return null;
  }
  const info = db
    .prepare(`INSERT INTO deliveries (finding_id, sink_id, action, state, attempts, next_attempt_at, created_at, updated_at)
              VALUES (?, ?, ?, 'pending', 0, ?, ?, ?)`)
    .run(findingId, sinkId, action, now, now, now);
  return Number(info.lastInsertRowid);
}

/**
 * Deliveries due now, oldest first, each only if no earlier delivery for the
 * same finding and sink is still pending: a sink sees create, updates,
 * acknowledge and resolve in the order they happened.
 */
export function dueDeliveries(db: Db, now: string, limit = 200): Delivery[] {
  const rows = db
    .prepare(
      `${SELECT} WHERE d.state = 'pending' AND d.next_attempt_at <= ?
         AND NOT EXISTS (SELECT 1 FROM deliveries e WHERE e.finding_id = d.finding_id AND e.sink_id = d.sink_id
                         AND e.state = 'pending' AND e.id < d.id)
       ORDER BY d.id LIMIT ?`,
    )
    .all(now, limit) as Row[];
  return rows.map(fromRow);
}

/**
 * Takes a delivery for one attempt: counts the attempt and leases the row
 * until `leaseUntil` before anything is sent. If the process dies mid-request
 * the row becomes due again when the lease runs out, and the sink's
 * look-up-before-create keeps the retry from making a second ticket. False
 * when another worker (another process on the same data dir) took it first.
 */
export function claimDelivery(db: Db, id: number, now: string, leaseUntil: string): boolean {
  const info = db
    .prepare("UPDATE deliveries SET attempts = attempts + 1, next_attempt_at = ?, updated_at = ? WHERE id = ? AND state = 'pending' AND next_attempt_at <= ?")
    .run(leaseUntil, now, id, now);
  return info.changes === 1;
}

export function markDelivered(db: Db, id: number, detail: string, now: string, ticket: { findingId: number; sinkId: string; ref: TicketRef } | null): void {
  db.transaction(() => {
    db.prepare("UPDATE deliveries SET state = 'delivered', detail = ?, last_error = NULL, delivered_at = ?, updated_at = ? WHERE id = ?")
      .run(detail, now, now, id);
    if (ticket) {
      db.prepare(
        `INSERT INTO sink_tickets (finding_id, sink_id, external_id, external_key, url, created_at) VALUES (?, ?, ?, ?, ?, ?)
         ON CONFLICT(finding_id, sink_id) DO UPDATE SET external_id = excluded.external_id, external_key = excluded.external_key, url = excluded.url`,
      ).run(ticket.findingId, ticket.sinkId, ticket.ref.externalId, ticket.ref.key, ticket.ref.url, now);
    }
  })();
}

/** A failed attempt: due again at `nextAttemptAt`, or dead-lettered when that is null. */
export function markFailed(db: Db, id: number, failure: { status: number | null; error: string; nextAttemptAt: string | null }, now: string): void {
  db.prepare('UPDATE deliveries SET state = ?, next_attempt_at = coalesce(?, next_attempt_at), last_status = ?, last_error = ?, updated_at = ? WHERE id = ?')
    .run(failure.nextAttemptAt === null ? 'dead' : 'pending', failure.nextAttemptAt, failure.status, failure.error, now, id);
}

/** Puts a dead (or waiting) delivery back in the queue, due now, with a fresh attempt budget. */
export function requeueDelivery(db: Db, id: number, now: string): Delivery {
  if (getDelivery(db, id).state === 'delivered') throw new QuarryError('conflict', `delivery ${id} was already delivered`);
  db.prepare("UPDATE deliveries SET state = 'pending', attempts = 0, next_attempt_at = ?, updated_at = ? WHERE id = ?").run(now, now, id);
  return getDelivery(db, id);
}

export function getDelivery(db: Db, id: number): Delivery {
  const row = db.prepare(`${SELECT} WHERE d.id = ?`).get(id) as Row | undefined;
  if (!row) throw notFound('delivery', String(id));
  return fromRow(row);
}

export interface DeliveryFilter {
  state?: DeliveryState;
  findingId?: number;
  sink?: string;
  limit?: number;
}

/** Newest first. */
export function listDeliveries(db: Db, filter: DeliveryFilter = {}): Delivery[] {
  const where: string[] = [];
  const args: unknown[] = [];
  const add = (clause: string, ...values: unknown[]): void => {
    where.push(clause);
    args.push(...values);
  };
  if (filter.state) add('d.state = ?', filter.state);
  if (filter.findingId !== undefined) add('d.finding_id = ?', filter.findingId);
  if (filter.sink) add('(s.name = ? OR s.id = ?)', filter.sink, filter.sink);
  const rows = db
    .prepare(`${SELECT} ${where.length ? `WHERE ${where.join(' AND ')}` : ''} ORDER BY d.id DESC LIMIT ?`)
    .all(...args, filter.limit ?? 1000) as Row[];
  return rows.map(fromRow);
}

export function ticketFor(db: Db, findingId: number, sinkId: string): TicketRef | null {
  const row = db
    .prepare('SELECT external_id, external_key, url FROM sink_tickets WHERE finding_id = ? AND sink_id = ?')
    .get(findingId, sinkId) as { external_id: string; external_key: string | null; url: string | null } | undefined;
  return row ? { externalId: row.external_id, key: row.external_key, url: row.url } : null;
}

/** Sinks this finding has been sent to before (for re-hits, acknowledge and close). */
export function sinksOfFinding(db: Db, findingId: number): string[] {
  return db.prepare('SELECT DISTINCT sink_id FROM deliveries WHERE finding_id = ? ORDER BY sink_id').pluck().all(findingId) as string[];
}

/** When the next pending delivery falls due, or null when nothing is pending. */
export function nextDueAt(db: Db): string | null {
  return (db.prepare("SELECT min(next_attempt_at) FROM deliveries WHERE state = 'pending'").pluck().get() as string | null) ?? null;
}
