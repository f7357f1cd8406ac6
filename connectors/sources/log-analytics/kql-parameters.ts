import { QuarryError } from '../../../engine/errors.js';
import type { BoundParameter } from '../../../engine/runs/parameters.js';
import type { SourceQuery } from '../types.js';

/**
 * The query API has no bind variables, so hunt parameters become `let`
 * statements in front of the hunt's KQL. Every value is rendered as a typed
 * KQL literal that cannot end early: a string can never close its quotes,
 * a number is checked to be one, a datetime must be canonical ISO text.
 */

const IDENTIFIER = /^[A-Za-z_][A-Za-z0-9_]*$/;
const ISO_UTC = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(?:\.\d{1,7})?Z$/;
/** Printable text plus tab and newline (the only control characters KQL's documented escapes cover), with no lone surrogates. */
function isPlainText(s: string): boolean {
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i);
    if ((c < 0x20 && c !== 0x09 && c !== 0x0a) || c === 0x7f || c === 0x2028 || c === 0x2029) return false;
    if (c >= 0xdc00 && c <= 0xdfff) return false;
    if (c >= 0xd800 && c <= 0xdbff) {
      const next = s.charCodeAt(i + 1);
      if (!(next >= 0xdc00 && next <= 0xdfff)) return false;
      i++;
    }
  }
  return true;
}

/** A KQL string literal. Text with other control characters is passed as base64, which has no quoting to break. */
export function kqlString(value: string): string {
  if (isPlainText(value)) {
    return `"${value.replace(/\\/g, '\\\\').replace(/"/g, '\\"').replace(/\n/g, '\\n').replace(/\t/g, '\\t')}"`;
  }
  return `base64_decode_tostring("${Buffer.from(value, 'utf8').toString('base64')}")`;
}

export function kqlLong(value: number | bigint): string {
  const text = String(value);
  if (!/^-?\d+$/.test(text)) throw new QuarryError('invalid_input', `"${text}" is not a whole number`);
  return `long(${text})`;
}

export function kqlReal(value: number): string {
  if (Number.isNaN(value)) return 'real(nan)';
  if (value === Infinity) return 'real(+inf)';
  if (value === -Infinity) return 'real(-inf)';
  return `real(${String(value).replace('e+', 'e')})`;
}

export function kqlDatetime(iso: string): string {
  if (!ISO_UTC.test(iso) || Number.isNaN(Date.parse(iso))) {
    throw new QuarryError('invalid_input', `"${iso}" is not an ISO 8601 UTC date and time`);
  }
  return `datetime(${iso})`;
}

/** `time(d.hh:mm:ss.fffffff)`: exact to the 100 ns tick KQL keeps. */
export function kqlTimespan(seconds: number): string {
  if (!Number.isFinite(seconds)) throw new QuarryError('invalid_input', `"${seconds}" is not a timespan`);
  const ticks = Math.round(Math.abs(seconds) * 1e7);
  const pad = (n: number, w = 2): string => String(n).padStart(w, '0');
  const days = Math.floor(ticks / 864e9);
  const rest = ticks - days * 864e9;
  const h = Math.floor(rest / 36e9);
  const m = Math.floor((rest % 36e9) / 6e8);
  const s = Math.floor((rest % 6e8) / 1e7);
  const frac = rest % 1e7;
  return `${seconds < 0 ? '-' : ''}time(${days}.${pad(h)}:${pad(m)}:${pad(s)}.${pad(frac, 7)})`;
}

const nullOf: Record<BoundParameter['type'], string> = {
  // KQL strings are never null; the empty string is how KQL spells "no value".
  string: '""',
  int: 'long(null)',
  real: 'real(null)',
  bool: 'bool(null)',
  datetime: 'datetime(null)',
  timespan: 'timespan(null)',
};

export function kqlLiteral(p: BoundParameter): string {
  const v = p.value;
  if (v === null) return nullOf[p.type];
  const wrong = (): QuarryError => new QuarryError('invalid_input', `parameter "${p.name}" has a ${typeof v} value for type ${p.type}`);
  switch (p.type) {
    case 'string':
      return kqlString(String(v));
    case 'int':
      if (typeof v !== 'number' || !Number.isSafeInteger(v)) throw wrong();
      return kqlLong(v);
    case 'real':
      if (typeof v !== 'number') throw wrong();
      return kqlReal(v);
    case 'bool':
      if (typeof v !== 'boolean') throw wrong();
      return v ? 'true' : 'false';
    case 'datetime':
      if (typeof v !== 'string') throw wrong();
      return kqlDatetime(v);
    case 'timespan':
      if (typeof v !== 'number') throw wrong();
      return kqlTimespan(v);
  }
}

export interface PreparedKql {
  /** What is sent: one line of `let` statements (if any), then the hunt's query unchanged. */
  text: string;
  /** Lines added before the hunt's first line, to map the service's error positions back. */
  prefixLines: number;
  /** ISO 8601 interval or duration for the request body, if the run has one. */
  timespan?: string;
}

/**
 * Binds parameters and the scheduled window (`start`, `end`) as `let`
 * statements on a single first line, so the hunt's own line numbers move
 * by exactly one. The window also becomes the request's `timespan`; without
 * one, a `timespan`-typed parameter named `timespan` does.
 */
export function prepareKql(q: Pick<SourceQuery, 'query' | 'parameters' | 'window'>): PreparedKql {
  const lets = new Map<string, string>();
  for (const p of q.parameters) {
    if (!IDENTIFIER.test(p.name)) throw new QuarryError('invalid_input', `parameter name "${p.name}" is not a KQL identifier`);
    lets.set(p.name, kqlLiteral(p));
  }
  let timespan: string | undefined;
  if (q.window) {
    lets.set('start', kqlDatetime(q.window.start));
    lets.set('end', kqlDatetime(q.window.end));
    timespan = `${q.window.start}/${q.window.end}`;
  } else {
    const span = q.parameters.find((p) => p.name === 'timespan' && p.type === 'timespan' && typeof p.value === 'number');
    if (span) timespan = `PT${Number(span.value)}S`;
  }
  if (lets.size === 0) return { text: q.query, prefixLines: 0, timespan };
  const prelude = [...lets].map(([name, literal]) => `let ${name} = ${literal};`).join(' ');
  return { text: `${prelude}\n${q.query}`, prefixLines: 1, timespan };
}
