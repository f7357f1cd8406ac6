/** Text formatting shared by the HTML and Markdown renderers, so both say the same thing the same way. */

export const formatCount = (n: number): string => n.toLocaleString('en-US');

export const plural = (n: number, word: string, many = `${word}s`): string => `${formatCount(n)} ${n === 1 ? word : many}`;

/** "2026-01-05 10:00:00 UTC": reports are read across time zones, so always UTC and always labelled. */
export function formatTime(iso: string | null | undefined): string {
  if (!iso) return '—';
  const d = new Date(iso);
  if (Number.isNaN(d.getTime())) return iso;
  // Seconds are precise enough for a reader; the data exports keep every millisecond.
  return `${d.toISOString().slice(0, 19).replace('T', ' ')} UTC`;
}

export function formatDuration(ms: number | null): string {
  if (ms === null) return '—';
  if (ms < 1000) return `${ms} ms`;
  if (ms < 60_000) return `${(ms / 1000).toFixed(1)} s`;
  const m = Math.floor(ms / 60_000);
  return m < 60 ? `${m} min ${Math.round((ms % 60_000) / 1000)} s` : `${Math.floor(m / 60)} h ${m % 60} min`;
}

/** A bucket width in words ("5 min", "1 h", "1 day") for the timeline's caption. */
export function formatSpan(ms: number): string {
  const units: Array<[number, string]> = [[86_400_000, 'day'], [3_600_000, 'h'], [60_000, 'min'], [1000, 's']];
  for (const [size, unit] of units) {
    if (ms >= size && ms % size === 0) {
      const n = ms / size;
      if (n === 1) return unit === 'day' ? 'day' : unit === 'h' ? 'hour' : unit === 'min' ? 'minute' : 'second';
      return unit === 'day' ? plural(n, 'day') : `${n} ${unit}`;
    }
  }
  return ms >= 1000 ? `${(ms / 1000).toFixed(1)} s` : `${ms} ms`;
}

/**
 * Cell text as a reader should see it: control characters and the Unicode
 * bidirectional overrides that could reorder what a responder reads (a file
 * named "exe.txt" shown as "txt.exe") are made visible, and long values cut.
 */
export function displayText(value: string, max = 200): string {
  // eslint-disable-next-line no-control-regex
  const visible = value.replace(/[\u0000-\u0008\u000b\u000c\u000e-\u001f\u007f\u200e\u200f\u202a-\u202e\u2066-\u2069]/g,
    (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`);
  return visible.length > max ? `${visible.slice(0, max - 1)}…` : visible;
}

/** Only web links are ever rendered as links; anything else (javascript:, data:, file:) stays text. */
export function webLink(url: string | null | undefined): string | null {
  if (!url) return null;
  try {
    const u = new URL(url);
    return u.protocol === 'https:' || u.protocol === 'http:' ? u.href : null;
  } catch {
    return null;
  }
}
