import type sql from 'mssql';
import { RowPacker, type PackedRows } from '../../../engine/runs/packed-rows.js';
import type { ResultSink } from '../types.js';
import { packRow, resultColumns, type Packing, type MssqlColumn } from './column-mapping.js';

/** A batch is handed over at this size even before `batchRows`: wide rows (nvarchar(max)) stay bounded too. */
const BATCH_BYTES = 4 * 1024 * 1024;

export interface StreamOptions {
  /** Rows per `sink.writePacked` call; a batch never holds more. */
  batchRows: number;
  /** Cancel or deadline: the request is cancelled (a TDS attention) when this aborts. */
  signal: AbortSignal;
}

/**
 * Runs `text` on a streaming mssql request and hands the first result set to
 * the sink in packed batches (rows go from the driver straight into a buffer,
 * no row arrays are kept). Backpressure: while the sink is not ready for more
 * the request is paused (tedious stops reading the socket, so the server stops
 * sending); it resumes once `writePacked` resolves. Only the batches the sink
 * holds and the one being filled exist, so memory stays flat whatever the row count.
 *
 * Resolves when the server has finished; rejects with the driver's error, the
 * sink's error, or a cancellation error when `signal` aborted.
 */
export function streamRows(request: sql.Request, text: string, sink: ResultSink, options: StreamOptions): Promise<void> {
  const { batchRows, signal } = options;
  return new Promise<void>((resolve, reject) => {
    /** The first result set's batch being filled and how its columns pack; null before it starts and once done. */
    let filling: { packer: RowPacker; packings: Packing[] } | null = null;
    let resultSets = 0;
    const full: PackedRows[] = [];
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
        while (full.length && !failure && !signal.aborted) await sink.writePacked(full.shift()!);
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
        filling = { packer: new RowPacker(mapped.packings.length), packings: mapped.packings };
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
      if (resultSets !== 1 || !filling || failure || signal.aborted) return;
      const { packer, packings } = filling;
      try {
        packRow(packer, row, packings);
      } catch (err) {
        failure ??= err;
        request.cancel();
        return;
      }
      if (packer.rows >= batchRows || packer.bytes >= BATCH_BYTES) {
        full.push(packer.take());
        void drain();
      }
    });

    request.on('error', (err: unknown) => {
      failure ??= err;
    });

    request.on('done', () => {
      finished = true;
      if (filling?.packer.rows && !failure && !signal.aborted) full.push(filling.packer.take());
      filling = null;
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
