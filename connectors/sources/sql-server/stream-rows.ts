import type sql from 'mssql';
import type { StoredValue } from '../../../engine/types.js';
import type { ResultSink } from '../types.js';
import { convertRow, resultColumns, type Converter, type MssqlColumn } from './column-mapping.js';

export interface StreamOptions {
  /** Rows per `sink.writeRows` call; a batch never holds more. */
  batchRows: number;
  /** Cancel or deadline: the request is cancelled (a TDS attention) when this aborts. */
  signal: AbortSignal;
}

/**
 * Runs `text` on a streaming mssql request and hands the first result set to
 * the sink in batches. Backpressure: while a batch is being stored the request
 * is paused (tedious stops reading the socket, so the server stops sending);
 * it resumes once `writeRows` resolves. At most one batch is being written
 * and one being filled, so memory stays flat whatever the row count.
 *
 * Resolves when the server has finished; rejects with the driver's error, the
 * sink's error, or a cancellation error when `signal` aborted.
 */
export function streamRows(request: sql.Request, text: string, sink: ResultSink, options: StreamOptions): Promise<void> {
  const { batchRows, signal } = options;
  return new Promise<void>((resolve, reject) => {
    let converters: Converter[] | null = null;
    let resultSets = 0;
    let filling: StoredValue[][] = [];
    const full: StoredValue[][][] = [];
    let writing = false;
    let finished = false;
    let failure: unknown = null;
    let settled = false;

    const settle = (): void => {
      if (settled || !finished || writing) return;
      settled = true;
      signal.removeEventListener('abort', onAbort);
      if (failure) reject(failure);
      else if (signal.aborted) reject(signal.reason);
      else resolve();
    };

    const onAbort = (): void => {
      // An attention: the server stops, the driver discards what is in flight and then reports ECANCEL.
      request.cancel();
    };
    signal.addEventListener('abort', onAbort, { once: true });

    const drain = async (): Promise<void> => {
      if (writing) return;
      writing = true;
      request.pause();
      try {
        while (full.length && !failure && !signal.aborted) await sink.writeRows(full.shift()!);
      } catch (err) {
        failure ??= err;
        request.cancel(); // the store failed: no point reading the rest
      } finally {
        writing = false;
        if (!finished) request.resume();
        // Rows that came while paused may have filled another batch.
        if (full.length && !failure && !signal.aborted) void drain();
        else settle();
      }
    };

    request.on('recordset', (columns: MssqlColumn[]) => {
      resultSets++;
      if (resultSets === 1) {
        const mapped = resultColumns(columns);
        converters = mapped.converters;
        try {
          sink.setColumns(mapped.columns);
        } catch (err) {
          failure ??= err;
          request.cancel();
        }
      } else if (resultSets === 2) {
        sink.warn('the query returned more than one result set; only the first one is kept');
      }
    });

    request.on('row', (row: unknown[]) => {
      // Rows of later result sets, or anything after a failure or cancel, are not stored.
      if (resultSets !== 1 || !converters || failure || signal.aborted) return;
      filling.push(convertRow(row, converters));
      if (filling.length >= batchRows) {
        full.push(filling);
        filling = [];
        void drain();
      }
    });

    request.on('error', (err: unknown) => {
      failure ??= err;
    });

    request.on('done', () => {
      finished = true;
      if (filling.length && !failure && !signal.aborted) full.push(filling);
      filling = [];
      if (full.length && !failure && !signal.aborted) void drain();
      else settle();
    });

    if (signal.aborted) request.cancel();
    // In stream mode the promise always resolves; failures arrive as 'error' events before 'done'.
    request.query(text).catch((err: unknown) => {
      failure ??= err;
      finished = true;
      settle();
    });
  });
}
