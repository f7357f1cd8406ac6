import { RowPacker, type PackedRows } from '../../../engine/runs/packed-rows.js';
import { QuarryError } from '../../../engine/errors.js';
import type { PackedRowSink } from '../types.js';
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
 * converted per column and packed, batch by batch (the next batch is read
 * once the sink takes it, which is the backpressure); a partial error becomes a warning,
 * extra tables a note. Resolves when the body is fully read.
 */
export async function readLogsResponse(body: AsyncIterable<Buffer>, opts: ReadOptions, sink: PackedRowSink): Promise<void> {
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
        await sink.writePacked(packRows(ev.rows, converters));
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

/** Converted per column and packed: the parsed arrays are dropped at once, and the store takes the buffer as it is. */
function packRows(rows: unknown[][], converters: Converter[]): PackedRows {
  const width = converters.length;
  const packer = new RowPacker(width);
  for (const row of rows) {
    // A row shorter than the columns is padded with nulls, a longer one cut.
    for (let c = 0; c < width; c++) packer.value(c < row.length ? converters[c]!(row[c]) : null);
    packer.endRow();
  }
  return packer.take();
}
