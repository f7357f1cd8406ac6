import type { QueryLanguage } from '../types.js';
import { sqlParameterNames } from '../../connectors/sources/local/sql-parameters.js';

/**
 * What a scheduled hunt reads beyond its window. KQL gets the window as the
 * request's timespan whatever the query says; SQL and T-SQL see it only where
 * the query uses @start and @end, so a query without them reads all of its
 * data on every run. Null when the window is applied.
 */
export function windowWarning(language: QueryLanguage, query: string): string | null {
  if (language === 'kql') return null;
  const used = new Set([...sqlParameterNames(query)].map((n) => n.toLowerCase()));
  const hasStart = used.has('start');
  const hasEnd = used.has('end');
  if (hasStart && hasEnd) return null;
  if (!hasStart && !hasEnd) {
    return 'the query does not use @start/@end, so every run reads all of its data, not only the time since the last run (e.g. WHERE TimeGenerated >= @start AND TimeGenerated < @end)';
  }
  return hasEnd
    ? 'the query uses @end but not @start, so every run reads everything before its end, not only the time since the last run'
    : 'the query uses @start but not @end, so rows newer than a run\'s window are read again by the next run';
}
