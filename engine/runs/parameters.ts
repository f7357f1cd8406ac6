import type { HuntParameter, ParameterType } from '../types.js';
import { invalidInput } from '../errors.js';

export type ParameterValue = string | number | boolean | null;

/** A parameter with its typed value, ready for a source to bind (never pasted into query text). */
export interface BoundParameter {
  name: string;
  type: ParameterType;
  value: ParameterValue;
}

/**
 * Types the values given for a run against the hunt's declared parameters,
 * falling back to defaults. Names the parameter in every error.
 */
export function bindParameters(
  declared: HuntParameter[],
  given: Record<string, string | number | boolean | null> = {},
): BoundParameter[] {
  for (const name of Object.keys(given)) {
    if (!declared.some((p) => p.name === name)) {
      const known = declared.map((p) => p.name).join(', ') || 'none';
      throw invalidInput(`unknown parameter "${name}" (this hunt's parameters: ${known})`);
    }
  }
  return declared.map((p) => {
    const raw = Object.hasOwn(given, p.name) ? given[p.name] : p.default;
    if (raw === undefined) throw invalidInput(`parameter "${p.name}" needs a value (no default): pass --param ${p.name}=...`);
    return { name: p.name, type: p.type, value: raw === null ? null : coerce(p.name, p.type, raw) };
  });
}

export function coerce(name: string, type: ParameterType, raw: string | number | boolean): ParameterValue {
  const bad = (what: string) => invalidInput(`parameter "${name}" must be ${what}, got "${String(raw)}"`);
  switch (type) {
    case 'string':
      return String(raw);
    case 'int': {
      const n = typeof raw === 'number' ? raw : /^\s*-?\d+\s*$/.test(String(raw)) ? Number(raw) : NaN;
      if (!Number.isSafeInteger(n)) throw bad('a whole number');
      return n;
    }
    case 'real': {
      const n = typeof raw === 'number' ? raw : String(raw).trim() === '' ? NaN : Number(raw);
      if (!Number.isFinite(n)) throw bad('a number');
      return n;
    }
    case 'bool': {
      if (typeof raw === 'boolean') return raw;
      const s = String(raw).trim().toLowerCase();
      if (['true', '1', 'yes'].includes(s)) return true;
      if (['false', '0', 'no'].includes(s)) return false;
      throw bad('true or false');
    }
    case 'datetime': {
      const d = new Date(typeof raw === 'number' ? raw : String(raw));
      if (typeof raw === 'boolean' || Number.isNaN(d.getTime())) throw bad('an ISO 8601 date and time');
      return d.toISOString();
    }
    case 'timespan': {
      const seconds = parseTimespan(String(raw));
      if (seconds === null) throw bad('a timespan like 30m, 1h, 7d or 01:30:00');
      return seconds;
    }
  }
}

const unitSeconds: Record<string, number> = { ms: 0.001, s: 1, m: 60, h: 3600, d: 86400 };

/** "90s", "30m", "1h", "7d" or "[d.]hh:mm:ss" as seconds; null when it is none of those. */
export function parseTimespan(text: string): number | null {
  const s = text.trim();
  const unit = /^(\d+(?:\.\d+)?)(ms|s|m|h|d)$/.exec(s);
  if (unit) return Number(unit[1]) * unitSeconds[unit[2]!]!;
  const clock = /^(?:(\d+)\.)?(\d{1,2}):(\d{2}):(\d{2}(?:\.\d+)?)$/.exec(s);
  if (clock) return Number(clock[1] ?? 0) * 86400 + Number(clock[2]) * 3600 + Number(clock[3]) * 60 + Number(clock[4]);
  return null;
}
