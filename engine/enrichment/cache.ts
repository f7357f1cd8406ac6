import type { Db } from '../store/db.js';
import type { Indicator, Verdict } from './indicator.js';

/** A provider's normalised answer about one indicator. */
export interface ProviderVerdict {
  /** False when the provider has no record of the indicator ("not found" is an answer, and is cached). */
  found: boolean;
  verdict: Verdict;
  /** 0-100, higher is worse; null when the provider gives nothing to score. */
  score: number | null;
  /** The provider's web page for the indicator. */
  link: string;
  /** The provider's answer as received, kept for reports. */
  raw: unknown;
}

export interface CachedVerdict extends ProviderVerdict {
  fetchedAt: string;
  expiresAt: string;
}

interface CacheRow {
  found: number;
  verdict: string;
  score: number | null;
  link: string | null;
  raw: string | null;
  fetched_at: string;
  expires_at: string;
}

/**
 * Answers per provider and indicator, shared by every run, so the same
 * indicator is never paid for twice within its TTL. Expired rows are kept
 * (and overwritten on the next answer) so that a report can still show them.
 */
export class EnrichmentCache {
  constructor(private readonly db: Db) {}

  /** The answer if it is still fresh at `now`. */
  get(provider: string, indicator: Indicator, now: Date, opts: { withRaw?: boolean } = {}): CachedVerdict | null {
    const cols = `found, verdict, score, link, fetched_at, expires_at${opts.withRaw ? ', raw' : ''}`;
    const row = this.db
      .prepare(`SELECT ${cols} FROM enrichment_cache WHERE provider = ? AND indicator_type = ? AND value = ? AND expires_at > ?`)
      .get(provider, indicator.type, indicator.value, now.toISOString()) as CacheRow | undefined;
    if (!row) return null;
    return {
      found: row.found === 1,
      verdict: row.verdict as Verdict,
      score: row.score,
      link: row.link ?? '',
      raw: row.raw ? JSON.parse(row.raw) : null,
      fetchedAt: row.fetched_at,
      expiresAt: row.expires_at,
    };
  }

  put(provider: string, indicator: Indicator, answer: ProviderVerdict, now: Date, ttlMs: number): void {
    this.db
      .prepare(
        `INSERT INTO enrichment_cache (provider, indicator_type, value, found, verdict, score, link, raw, fetched_at, expires_at)
         VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
         ON CONFLICT(provider, indicator_type, value) DO UPDATE SET found = excluded.found, verdict = excluded.verdict,
           score = excluded.score, link = excluded.link, raw = excluded.raw, fetched_at = excluded.fetched_at, expires_at = excluded.expires_at`,
      )
      .run(provider, indicator.type, indicator.value, answer.found ? 1 : 0, answer.verdict, answer.score, answer.link,
        answer.raw === undefined ? null : JSON.stringify(answer.raw), now.toISOString(), new Date(now.getTime() + ttlMs).toISOString());
  }

  /** The last raw answer, fresh or not, for reports. */
  raw(provider: string, indicator: Indicator): unknown {
    const row = this.db
      .prepare('SELECT raw FROM enrichment_cache WHERE provider = ? AND indicator_type = ? AND value = ?')
      .get(provider, indicator.type, indicator.value) as { raw: string | null } | undefined;
    return row?.raw ? JSON.parse(row.raw) : null;
  }
}
