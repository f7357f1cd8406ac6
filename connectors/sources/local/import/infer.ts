import type { ColumnType, StoredValue } from '../../../../engine/types.js';
import { detectTimestampFormat, type TimestampFormat } from './timestamps.js';

/**
 * Column type inference for imported logs, from a sample of the first records.
 * A later value that does not fit its column's type is stored as it came
 * (SQLite keeps it), so inference can never lose data.
 */

const INT = /^-?(?:0|[1-9]\d{0,17})$/; // no leading zeros: "007" is an identifier, not 7
const REAL = /^-?(?:(?:0|[1-9]\d*)(?:\.\d*)?|\.\d+)(?:[eE][+-]?\d+)?$/;
const BOOL = /^(?:true|false)$/i;

export interface ColumnPlan {
  name: string;
  type: ColumnType;
  /** Turns a raw value into what is stored. */
  convert: (v: unknown) => StoredValue;
}

/** Infers the type of a text column (CSV) from sample values. */
export function planTextColumn(name: string, samples: string[]): ColumnPlan {
  const values = samples.filter((s) => s !== '');
  if (values.length === 0) return textPlan(name);
  if (values.every((v) => BOOL.test(v))) return { name, type: 'bool', convert: (v) => textToBool(v as string) };
  if (values.every((v) => INT.test(v) && Number.isSafeInteger(Number(v)))) {
    return { name, type: 'long', convert: (v) => (v === '' ? null : INT.test(v as string) ? Number(v) : (v as string)) };
  }
  if (values.every((v) => REAL.test(v))) {
    return { name, type: 'real', convert: (v) => (v === '' ? null : REAL.test(v as string) ? Number(v) : (v as string)) };
  }
  const format = detectTimestampFormat(values[0]!);
  if (format && values.every((v) => isTimestampLike(v, format))) return datetimePlan(name, format);
  return textPlan(name);
}

/** Infers the type of a JSON column from sample values (numbers, booleans, strings, objects). */
export function planJsonColumn(name: string, samples: unknown[]): ColumnPlan {
  const values = samples.filter((v) => v !== null && v !== undefined);
  const convert = jsonToStored;
  if (values.length === 0) return { name, type: 'string', convert };
  if (values.every((v) => typeof v === 'boolean')) return { name, type: 'bool', convert };
  if (values.every((v) => typeof v === 'number')) {
    return { name, type: values.every((v) => Number.isInteger(v)) ? 'long' : 'real', convert };
  }
  if (values.every((v) => typeof v === 'object')) return { name, type: 'dynamic', convert };
  if (values.every((v) => typeof v === 'string')) {
    const format = detectTimestampFormat(values[0] as string);
    if (format && values.every((v) => isTimestampLike(v as string, format))) {
      const plan = datetimePlan(name, format);
      return { ...plan, convert: (v) => (typeof v === 'string' ? plan.convert(v) : jsonToStored(v)) };
    }
  }
  return { name, type: 'string', convert };
}

/** Exports mix formats (a syslog relay next to an agent): the column's first format is tried first, then any other. */
function isTimestampLike(v: string, first: TimestampFormat): boolean {
  return (first.test.test(v) && first.toIso(v) !== null) || detectTimestampFormat(v) !== undefined;
}

function textPlan(name: string): ColumnPlan {
  return { name, type: 'string', convert: (v) => v as string };
}

function datetimePlan(name: string, format: TimestampFormat): ColumnPlan {
  return {
    name,
    type: 'datetime',
    convert: (v) => {
      const s = v as string;
      if (s === '') return null;
      return format.toIso(s) ?? detectTimestampFormat(s)?.toIso(s) ?? s;
    },
  };
}

function textToBool(v: string): StoredValue {
  if (v === '') return null;
  const lower = v.toLowerCase();
  return lower === 'true' ? 1 : lower === 'false' ? 0 : v;
}

export function jsonToStored(v: unknown): StoredValue {
  if (v === null || v === undefined) return null;
  if (typeof v === 'boolean') return v ? 1 : 0;
  if (typeof v === 'number' || typeof v === 'string') return v;
  return JSON.stringify(v);
}
