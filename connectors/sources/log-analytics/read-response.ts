import type { StoredValue } from '../../../engine/types.js';
import { QuarryError } from '../../../engine/errors.js';
import type { RowSink } from '../types.js';
import { converterFor, needsExactNumbers, columnTypeOf, toResultColumns, type Converter } from './column-mapping.js';
import { LogsResponseParser } from './response-parser.js';
import { partialErrorText } from './errors.js';

export interface ReadOptions {
  connectionName: string;
  signal: AbortSignal;
  batchRows?: number;
}

/**
 * Streams a query API response body into the sink: the first table's rows,
 * converted per column, batch by batch (each batch stored before the next
 * is read, which is the backpressure); a partial error becomes a warning,
 * extra tables a note. Resolves when the body is fully read.
 */
export async function readLogsResponse(body: AsyncIterable<Buffer>, opts: ReadOptions, sink: RowSink): Promise<void> {
  const parser = new LogsResponseParser({ batchRows: opts.batchRows, keepNumberText: (t) => needsExactNumbers(columnTypeOf(t)) });
  let converters: Converter[] | null = null;
  let sawTable = false;
  let serviceError: unknown = null;
  const extraTables = new Map<number, number>();
  for await (const chunk of body) {
    parser.push(chunk);
    for (const ev of parser.take()) {
      if (ev.kind === 'error') {
        serviceError = ev.error;
        sink.warn(`partial result from "${opts.connectionName}": ${partialErrorText(ev.error)}`);
      } else if (ev.kind === 'table') {
        if (ev.index === 0) {
          const columns = toResultColumns(ev.columns);
          converters = columns.map((c) => converterFor[c.type]);
          sink.setColumns(columns);
          sawTable = true;
        } else extraTables.set(ev.index, 0);
      } else if (ev.table === 0 && converters) {
        await sink.writeRows(convertRows(ev.rows, converters));
        if (opts.signal.aborted) throw opts.signal.reason;
      } else {
        extraTables.set(ev.table, (extraTables.get(ev.table) ?? 0) + ev.rows.length);
      }
    }
  }
  parser.end();
  if (!sawTable && serviceError) {
    throw new QuarryError('query_failed', `the query on "${opts.connectionName}" failed: ${partialErrorText(serviceError)}`);
  }
  const extraRows = [...extraTables.values()].reduce((a, b) => a + b, 0);
  if (extraRows > 0) {
    sink.warn(`the query on "${opts.connectionName}" returned ${extraTables.size} more table(s) with ${extraRows} row(s); Quarry keeps the first table only`);
  }
}

/** In place: the parsed arrays become the stored rows, so a batch is never copied. */
function convertRows(rows: unknown[][], converters: Converter[]): StoredValue[][] {
  const width = converters.length;
  for (const row of rows) {
    for (let c = 0; c < width; c++) row[c] = converters[c]!(row[c]);
    if (row.length > width) row.length = width;
    else while (row.length < width) row.push(null);
  }
  return rows as StoredValue[][];
}
