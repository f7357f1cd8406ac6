/**
 * Timestamp formats found in exported logs, each turned into ISO 8601 UTC text
 * (`2026-01-05T10:00:00.000Z`), which sorts and compares correctly as text in SQLite.
 * A value without a zone is taken as UTC, as log exports usually are.
 */
export interface TimestampFormat {
  name: string;
  test: RegExp;
  toIso(s: string): string | null;
}

const months: Record<string, number> = {
  jan: 0, feb: 1, mar: 2, apr: 3, may: 4, jun: 5, jul: 6, aug: 7, sep: 8, oct: 9, nov: 10, dec: 11,
};

const isoOf = (ms: number): string | null => (Number.isFinite(ms) ? new Date(ms).toISOString() : null);

// Field ranges checked in the pattern so the fast paths never accept month 13.
const CANONICAL = /^\d{4}-(?:0[1-9]|1[0-2])-(?:0[1-9]|[12]\d|3[01])T(?:[01]\d|2[0-3]):[0-5]\d:[0-5]\d\.\d{3}Z$/;
const CANONICAL_NO_MS = /^\d{4}-(?:0[1-9]|1[0-2])-(?:0[1-9]|[12]\d|3[01])T(?:[01]\d|2[0-3]):[0-5]\d:[0-5]\dZ$/;

export const timestampFormats: TimestampFormat[] = [
  {
    // 2026-01-05T10:00:00Z, 2026-01-05 10:00:00.1234567+02:00, 2026-01-05T10:00 (UTC assumed), 2026-01-05
    name: 'iso8601',
    test: /^\d{4}-\d{2}-\d{2}(?:[T ]\d{2}:\d{2}(?::\d{2}(?:[.,]\d{1,9})?)?\s?(?:Z|[+-]\d{2}(?::?\d{2})?)?)?$/i,
    toIso(s) {
      // Fast paths for the forms most logs use; text only, as Date would give the same.
      if (CANONICAL.test(s)) return s;
      if (CANONICAL_NO_MS.test(s)) return `${s.slice(0, 19)}.000Z`;
      const m = /^(\d{4}-\d{2}-\d{2})(?:[T ](\d{2}:\d{2})(?::(\d{2})(?:[.,](\d{1,9}))?)?\s?(Z|[+-]\d{2}(?::?\d{2})?)?)?$/i.exec(s);
      if (!m) return null;
      const frac = (m[4] ?? '').padEnd(3, '0').slice(0, 3);
      let zone = m[5] ?? 'Z';
      if (/^[+-]\d{2}$/.test(zone)) zone += ':00';
      else if (/^[+-]\d{4}$/.test(zone)) zone = `${zone.slice(0, 3)}:${zone.slice(3)}`;
      return isoOf(Date.parse(`${m[1]}T${m[2] ?? '00:00'}:${m[3] ?? '00'}.${frac}${zone.toUpperCase()}`));
    },
  },
  {
    // Apache / NCSA common log format: 10/Oct/2000:13:55:36 -0700, optionally in brackets
    name: 'common-log',
    test: /^\[?\d{2}\/[A-Za-z]{3}\/\d{4}:\d{2}:\d{2}:\d{2} [+-]\d{4}\]?$/,
    toIso(s) {
      const m = /^\[?(\d{2})\/([A-Za-z]{3})\/(\d{4}):(\d{2}):(\d{2}):(\d{2}) ([+-])(\d{2})(\d{2})\]?$/.exec(s);
      const month = m ? months[m[2]!.toLowerCase()] : undefined;
      if (!m || month === undefined) return null;
      const offset = (m[7] === '-' ? -1 : 1) * (Number(m[8]) * 60 + Number(m[9])) * 60_000;
      return isoOf(Date.UTC(+m[3]!, month, +m[1]!, +m[4]!, +m[5]!, +m[6]!) - offset);
    },
  },
  {
    // Windows Event Viewer / US exports: 1/5/2026 10:00:00 AM, 01/05/2026 22:00
    name: 'us-datetime',
    test: /^\d{1,2}\/\d{1,2}\/\d{4} \d{1,2}:\d{2}(?::\d{2})?(?:\s?[AP]M)?$/i,
    toIso(s) {
      const m = /^(\d{1,2})\/(\d{1,2})\/(\d{4}) (\d{1,2}):(\d{2})(?::(\d{2}))?(?:\s?([AP])M)?$/i.exec(s);
      if (!m) return null;
      let hour = Number(m[4]);
      if (m[7]) hour = (hour % 12) + (m[7].toUpperCase() === 'P' ? 12 : 0);
      const [month, day] = [Number(m[1]), Number(m[2])];
      if (month < 1 || month > 12 || day < 1 || day > 31 || hour > 23) return null;
      return isoOf(Date.UTC(+m[3]!, month - 1, day, hour, +m[5]!, +(m[6] ?? 0)));
    },
  },
  {
    // RFC 2822 / HTTP dates: Mon, 05 Jan 2026 10:00:00 GMT or +0100
    name: 'rfc2822',
    test: /^(?:[A-Za-z]{3}, )?\d{1,2} [A-Za-z]{3} \d{4} \d{2}:\d{2}(?::\d{2})? (?:GMT|UTC|UT|Z|[+-]\d{4})$/,
    toIso: (s) => isoOf(Date.parse(s)),
  },
];

/** The first format that reads `s`, if any. */
export function detectTimestampFormat(s: string): TimestampFormat | undefined {
  return timestampFormats.find((f) => f.test.test(s) && f.toIso(s) !== null);
}
