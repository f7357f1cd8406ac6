import type { Db } from '../store/db.js';
import type { Clock } from '../clock.js';

/**
 * Per-provider call budgets, kept in SQLite so that a restart (or a second
 * `quarry` process) does not hand out the same minute or day twice. The
 * minute limit is a sliding window (the times of recent calls); the day limit
 * counts calls per UTC date, so it resets at 00:00 UTC as VirusTotal's does.
 * A 429 from the provider blocks it until the time the provider asked for.
 */

export interface QuotaLimits {
  perMinute: number | null;
  perDay: number | null;
}

export type QuotaDecision =
  | { granted: true }
  | { granted: false; reason: 'minute' | 'day' | 'backoff'; retryAt: Date };

export interface QuotaWindowStatus {
  limit: number | null;
  used: number;
  /** null when there is no limit. */
  remaining: number | null;
  resetsAt: string | null;
}

export interface QuotaStatus {
  perMinute: QuotaWindowStatus;
  perDay: QuotaWindowStatus;
  /** Set after a 429: no calls before this time. */
  blockedUntil: string | null;
}

interface StateRow {
  recent_calls: string;
  day: string;
  day_used: number;
  blocked_until: string | null;
}

const MINUTE = 60_000;
const utcDay = (d: Date): string => d.toISOString().slice(0, 10);
const nextUtcMidnight = (d: Date): Date => new Date(Date.UTC(d.getUTCFullYear(), d.getUTCMonth(), d.getUTCDate() + 1));

export class QuotaLedger {
  constructor(
    private readonly db: Db,
    private readonly clock: Clock,
  ) {}

  private read(provider: string, now: Date): { recent: number[]; dayUsed: number; blockedUntil: Date | null } {
    const row = this.db.prepare('SELECT * FROM enrichment_provider_state WHERE provider = ?').get(provider) as StateRow | undefined;
    if (!row) return { recent: [], dayUsed: 0, blockedUntil: null };
    const since = now.getTime() - MINUTE;
    const recent = (JSON.parse(row.recent_calls) as number[]).filter((t) => t > since);
    const blocked = row.blocked_until ? new Date(row.blocked_until) : null;
    return {
      recent,
      dayUsed: row.day === utcDay(now) ? row.day_used : 0,
      blockedUntil: blocked && blocked > now ? blocked : null,
    };
  }

  private write(provider: string, now: Date, recent: number[], dayUsed: number, blockedUntil: Date | null): void {
    this.db
      .prepare(
        `INSERT INTO enrichment_provider_state (provider, recent_calls, day, day_used, blocked_until) VALUES (?, ?, ?, ?, ?)
         ON CONFLICT(provider) DO UPDATE SET recent_calls = excluded.recent_calls, day = excluded.day,
           day_used = excluded.day_used, blocked_until = excluded.blocked_until`,
      )
      .run(provider, JSON.stringify(recent), utcDay(now), dayUsed, blockedUntil?.toISOString() ?? null);
  }

  /** Takes one call from the budget if there is one; otherwise says when to ask again. */
  tryAcquire(provider: string, limits: QuotaLimits): QuotaDecision {
    return this.db.transaction((): QuotaDecision => {
      const now = this.clock.now();
      const s = this.read(provider, now);
      if (s.blockedUntil) return { granted: false, reason: 'backoff', retryAt: s.blockedUntil };
      if (limits.perDay !== null && s.dayUsed >= limits.perDay) return { granted: false, reason: 'day', retryAt: nextUtcMidnight(now) };
      if (limits.perMinute !== null && s.recent.length >= limits.perMinute) {
        const oldest = s.recent[s.recent.length - limits.perMinute]!;
        return { granted: false, reason: 'minute', retryAt: new Date(oldest + MINUTE) };
      }
      // Only as many call times as the minute limit needs are kept.
      const keep = limits.perMinute ?? 0;
      const recent = keep > 0 ? [...s.recent, now.getTime()].slice(-keep) : [];
      this.write(provider, now, recent, s.dayUsed + 1, null);
      return { granted: true };
    }).immediate();
  }

  /** After a 429: nothing goes to this provider before `until`. */
  block(provider: string, until: Date): void {
    this.db.transaction(() => {
      const now = this.clock.now();
      const s = this.read(provider, now);
      const later = s.blockedUntil && s.blockedUntil > until ? s.blockedUntil : until;
      this.write(provider, now, s.recent, s.dayUsed, later);
    }).immediate();
  }

  /** After a provider says the day's quota is spent although our count disagrees: take the rest of the day. */
  exhaustDay(provider: string, limits: QuotaLimits): void {
    const now = this.clock.now();
    if (limits.perDay === null) this.block(provider, nextUtcMidnight(now));
    else this.db.transaction(() => {
      const s = this.read(provider, now);
      this.write(provider, now, s.recent, Math.max(s.dayUsed, limits.perDay!), s.blockedUntil);
    }).immediate();
  }

  status(provider: string, limits: QuotaLimits): QuotaStatus {
    const now = this.clock.now();
    const s = this.read(provider, now);
    const minuteUsed = s.recent.length;
    const window = (limit: number | null, used: number, resetsAt: Date | null): QuotaWindowStatus => ({
      limit,
      used,
      remaining: limit === null ? null : Math.max(0, limit - used),
      resetsAt: resetsAt?.toISOString() ?? null,
    });
    const minuteReset = minuteUsed > 0 ? new Date(s.recent[0]! + MINUTE) : null;
    return {
      perMinute: window(limits.perMinute, minuteUsed, limits.perMinute === null ? null : minuteReset),
      perDay: window(limits.perDay, s.dayUsed, nextUtcMidnight(now)),
      blockedUntil: s.blockedUntil?.toISOString() ?? null,
    };
  }
}
