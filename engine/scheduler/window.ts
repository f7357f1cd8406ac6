/** The time range one scheduled run covers, as ISO 8601 UTC, half-open: [start, end). */
export interface RunWindow {
  start: string;
  end: string;
  /** Set when the maximum window cut the catch-up short: [from, to) was left unqueried. */
  capped: { from: string; to: string } | null;
}

export interface WindowInput {
  now: Date;
  /** End of the newest succeeded window of this schedule, or null before the first success. */
  lastSuccessEnd: string | null;
  /** Where coverage begins before any success: the set time minus the lookback (null: now minus the lookback). */
  origin: string | null;
  lookbackMs: number;
  overlapMs: number;
  maxWindowMs: number;
}

/**
 * Incremental windows: from the end of the last successful window (minus the
 * overlap) to now, or the lookback for a first run. A gap longer than the
 * maximum window (a laptop closed for a month) is cut to the newest part,
 * and the cut is reported rather than silently dropped. Returns null when
 * there is nothing to cover (the clock went backwards).
 */
export function nextWindow(w: WindowInput): RunWindow | null {
  const end = w.now.getTime();
  const wanted = w.lastSuccessEnd !== null
    ? Date.parse(w.lastSuccessEnd) - w.overlapMs
    : w.origin !== null ? Date.parse(w.origin) : end - w.lookbackMs;
  const floor = end - w.maxWindowMs;
  const start = Math.max(wanted, floor);
  if (start >= end) return null;
  return {
    start: new Date(start).toISOString(),
    end: new Date(end).toISOString(),
    capped: wanted < floor ? { from: new Date(wanted).toISOString(), to: new Date(floor).toISOString() } : null,
  };
}
