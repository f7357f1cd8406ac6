import sql from 'mssql';
import type { BoundParameter } from '../../../engine/runs/parameters.js';
import type { ParameterType } from '../../../engine/types.js';
import { QuarryError } from '../../../engine/errors.js';

/** A typed input for sp_executesql: the value never becomes part of the query text. */
export interface SqlInput {
  name: string;
  type: sql.ISqlType;
  value: unknown;
}

const IDENTIFIER = /^[A-Za-z_][A-Za-z0-9_]*$/;
const INT32_MIN = -2_147_483_648;
const INT32_MAX = 2_147_483_647;

/**
 * Quarry parameter types as SQL Server types:
 * string → nvarchar(4000), or nvarchar(max) for longer text (a fixed length keeps one cached plan);
 * int → int, or bigint outside int's range; real → float; bool → bit;
 * datetime → datetime2(7); timespan → float (seconds, Quarry's unit for timespans).
 */
function typed(type: ParameterType, value: BoundParameter['value']): { type: sql.ISqlType; value: unknown } {
  switch (type) {
    case 'string': {
      const s = value === null ? null : String(value);
      return { type: sql.NVarChar(s !== null && s.length > 4000 ? sql.MAX : 4000), value: s };
    }
    case 'int': {
      const n = value === null ? null : Number(value);
      return { type: n !== null && (n < INT32_MIN || n > INT32_MAX) ? sql.BigInt() : sql.Int(), value: n };
    }
    case 'real':
    case 'timespan':
      return { type: sql.Float(), value: value === null ? null : Number(value) };
    case 'bool':
      return { type: sql.Bit(), value: value === null ? null : Boolean(value) };
    case 'datetime':
      return { type: sql.DateTime2(7), value: value === null ? null : new Date(String(value)) };
  }
}

/**
 * The inputs of one run: the hunt's parameters, and the scheduled window as
 * @start/@end (datetime2) when there is one. A hunt parameter called start or
 * end gives way to the window, with a warning, since the window is what a
 * scheduled run is for.
 */
export function queryInputs(parameters: BoundParameter[], window: { start: string; end: string } | undefined, warn: (m: string) => void): SqlInput[] {
  const inputs: SqlInput[] = [];
  const windowNames = window ? new Set(['start', 'end']) : new Set<string>();
  for (const p of parameters) {
    if (!IDENTIFIER.test(p.name)) {
      throw new QuarryError('invalid_input', `parameter "${p.name}" cannot be a T-SQL variable name (letters, digits and _ only, not starting with a digit)`);
    }
    if (windowNames.has(p.name.toLowerCase())) {
      warn(`hunt parameter "${p.name}" was replaced by the scheduled window's ${p.name.toLowerCase()} (@${p.name.toLowerCase()})`);
      continue;
    }
    inputs.push({ name: p.name, ...typed(p.type, p.value) });
  }
  if (window) {
    inputs.push({ name: 'start', type: sql.DateTime2(7), value: new Date(window.start) });
    inputs.push({ name: 'end', type: sql.DateTime2(7), value: new Date(window.end) });
  }
  return inputs;
}
