import type { LocalTableInfo } from '../../../connectors/sources/local/local-db';
import type { Hunt, HuntParameter, QueryLanguage, ResultColumn, Run, StoredValue } from '../../../engine/types';
import type { HuntDraft } from '../editor/draft';
import type { RowFilter } from './grid/row-source.svelte';

/** The grid filter that keeps (or drops) rows with this value. */
export function valueFilter(column: ResultColumn, value: StoredValue | undefined, exclude: boolean): RowFilter {
  if (value === null || value === undefined) return { column: column.name, op: exclude ? 'not_null' : 'is_null' };
  const v = typeof value === 'number' ? value : String(value);
  return { column: column.name, op: exclude ? 'neq' : 'eq', value: v };
}

const sqlIdent = (name: string, language: QueryLanguage): string => (language === 'tsql' ? `[${name.replace(/]/g, ']]')}]` : `"${name.replace(/"/g, '""')}"`);
const kqlString = (s: string): string => `"${s.replace(/\\/g, '\\\\').replace(/"/g, '\\"')}"`;

/**
 * A new hunt for a value seen in a result ("where else does 203.0.113.7
 * appear?"). SQL hunts on a local connection look in every imported table
 * that has a column of the same name; otherwise the new hunt narrows the
 * original query. The value is a typed parameter (@pivotValue), never pasted
 * into SQL. KQL has no bound parameters here, so it is an escaped literal in a
 * `search` across tables.
 */
export function pivotHunt(opts: { run: Run; hunt: Hunt | null; column: ResultColumn; value: StoredValue; tables: LocalTableInfo[] }): HuntDraft {
  const { run, hunt, column, value, tables } = opts;
  const text = typeof value === 'string' ? value : String(value);
  const numeric = typeof value === 'number';
  const language = run.language;
  const base: Omit<HuntDraft, 'description' | 'parameters' | 'query'> = {
    name: `Pivot: ${column.name} = ${text.length > 60 ? `${text.slice(0, 60)}…` : text}`,
    connection: run.connection,
    language,
    tactics: hunt?.tactics ?? [],
    techniques: hunt?.techniques ?? [],
    severity: hunt?.severity ?? 'medium',
    tags: [...new Set([...(hunt?.tags ?? []), 'pivot'])],
  };
  const description = `Pivot from run ${run.id} of “${run.huntName}” on ${column.name} = ${text}.`;
  if (language === 'kql') {
    return { ...base, description, parameters: [], query: `search ${kqlString(text)}\n| take 1000` };
  }
  const param: HuntParameter = {
    name: 'pivotValue',
    type: numeric ? (Number.isInteger(value) ? 'int' : 'real') : 'string',
    default: numeric ? (value as number) : text,
    description: `The value pivoted on (${column.name})`,
  };
  const holding = tables.filter((t) => t.columns.some((c) => c.name === column.name));
  if (language === 'sql' && holding.length > 0) {
    const col = sqlIdent(column.name, language);
    const query = holding.map((t) => `SELECT '${t.name.replace(/'/g, "''")}' AS SourceTable, * FROM ${sqlIdent(t.name, language)} WHERE ${col} = @pivotValue`);
    // Tables differ in columns, so each gets its own SELECT; the first one is the query, the others are offered as comments.
    const [firstQuery, ...others] = query;
    const more = others.length ? `\n\n-- Also holds ${column.name}:\n${others.map((q) => `-- ${q}`).join('\n')}` : '';
    return { ...base, description, parameters: [param], query: `${firstQuery}\nLIMIT 10000${more}` };
  }
  const inner = run.query.trim().replace(/;\s*$/, '');
  const carried = (hunt?.parameters ?? []).filter((p) => p.name !== 'pivotValue');
  const top = language === 'tsql' ? 'TOP 10000 ' : '';
  const limit = language === 'tsql' ? '' : '\nLIMIT 10000';
  return {
    ...base,
    description,
    parameters: [...carried, param],
    query: `SELECT ${top}* FROM (\n${inner}\n) AS pivot WHERE ${sqlIdent(column.name, language)} = @pivotValue${limit}`,
  };
}
