import type { MessageWriter } from './packets.js';
import type { QueryExecutor } from './executor.js';
import { TdsQueryError, toTdsError } from './executor.js';
import { SP_EXECUTESQL, type RpcParameter, type RpcRequest } from './requests.js';
import { ByteWriter } from './bytes.js';
import { CurCmd, Done, Token, writeColMetadata, writeDone, writeMessage, writeReturnStatus, writeRow } from './tokens.js';
import { translateBatch, type Statement, type TranslationContext } from './translate.js';

/** How the session lets a running request wait, and tells it to stop (ATTENTION or a closed socket). */
export interface RunControl {
  readonly cancelled: boolean;
  sleep(ms: number): Promise<void>;
  /** Resolves once the peer has read what was sent (or the request was cancelled). */
  waitForDrain(): Promise<void>;
}

export interface RunnerDeps {
  executor: QueryExecutor;
  context: TranslationContext;
  serverName: string;
  nbcRow: boolean;
  /** A pause after every `everyRows` rows: a slow server, for cancel and timeout tests. */
  slow?: { everyRows: number; delayMs: number };
  stats: { backpressureWaits: number; rowsSent: number };
}

export type RunResult = 'ok' | 'error' | 'cancelled';

/** Flush after this many bytes of rows: a few packets at a time keeps the socket busy without buffering a result. */
const FLUSH_BYTES = 32 * 1024;
/** Even when the client keeps up, give the event loop a turn now and then so an ATTENTION can be read. */
const YIELD_EVERY_FLUSHES = 8;

type Request = { kind: 'batch'; sql: string } | { kind: 'rpc'; rpc: RpcRequest };

/** Writes the whole response to one SQL batch or RPC into `w` (the caller ends the message). */
export async function respond(w: MessageWriter, request: Request, control: RunControl, deps: RunnerDeps): Promise<RunResult> {
  const inProc = request.kind === 'rpc';
  const fail = (err: TdsQueryError): RunResult => {
    writeMessage(w.body, Token.ERROR, { number: err.number, state: err.state, class: err.severity, message: err.message, serverName: deps.serverName, line: err.line, procName: '' });
    writeDone(w.body, inProc ? Token.DONEPROC : Token.DONE, Done.ERROR, inProc ? CurCmd.EXECUTE : CurCmd.NONE);
    return 'error';
  };
  let sql: string;
  let parameters: RpcParameter[] = [];
  if (request.kind === 'batch') sql = request.sql;
  else {
    const { procedure, parameters: all } = request.rpc;
    if (procedure !== SP_EXECUTESQL && String(procedure).toLowerCase() !== 'sp_executesql') {
      return fail(new TdsQueryError(`Could not find stored procedure '${String(procedure)}'.`, 2812, 1));
    }
    // sp_executesql @statement, @params (the declarations), then the values.
    sql = String(all[0]?.value ?? '');
    parameters = all.slice(2);
  }
  let statements: Statement[];
  try {
    statements = translateBatch(sql, deps.context);
  } catch (err) {
    return fail(toTdsError(err, { original: sql, line: 1 }));
  }
  for (let i = 0; i < statements.length; i++) {
    const statement = statements[i]!;
    const more = inProc || i < statements.length - 1 ? Done.MORE : 0;
    const doneToken = inProc ? Token.DONEINPROC : Token.DONE;
    switch (statement.kind) {
      case 'set':
        writeDone(w.body, doneToken, more, CurCmd.SET);
        break;
      case 'waitfor':
        w.flush();
        await control.sleep(statement.ms);
        if (control.cancelled) return 'cancelled';
        writeDone(w.body, doneToken, more, CurCmd.NONE);
        break;
      case 'throw':
        return fail(new TdsQueryError(statement.message, statement.number, statement.line, statement.severity, statement.state));
      case 'query': {
        let outcome;
        try {
          outcome = deps.executor.run(statement, parameters);
        } catch (err) {
          return fail(toTdsError(err, statement));
        }
        if (outcome.kind === 'count') {
          writeDone(w.body, doneToken, more | Done.COUNT, CurCmd.INSERT, outcome.rowCount);
          break;
        }
        const result = await streamRows(w, outcome, control, deps);
        if (result instanceof TdsQueryError) return fail(result);
        if (result === 'cancelled') return 'cancelled';
        writeDone(w.body, doneToken, more | Done.COUNT, CurCmd.SELECT, result);
        break;
      }
    }
  }
  if (statements.length === 0 && !inProc) writeDone(w.body, Token.DONE, Done.FINAL, CurCmd.NONE);
  if (inProc) {
    writeReturnStatus(w.body, 0);
    writeDone(w.body, Token.DONEPROC, Done.FINAL, CurCmd.EXECUTE);
  }
  return 'ok';
}

/** COLMETADATA then the rows, flushed a few packets at a time, waiting whenever the socket says the client is behind. */
async function streamRows(
  w: MessageWriter,
  outcome: Extract<ReturnType<QueryExecutor['run']>, { kind: 'rows' }>,
  control: RunControl,
  deps: RunnerDeps,
): Promise<number | 'cancelled' | TdsQueryError> {
  const { columns, rows } = outcome;
  writeColMetadata(w.body, columns);
  if (outcome.replayKey) return replayRows(w, outcome, control, deps);
  let count = 0;
  let flushes = 0;
  const slow = deps.slow;
  try {
    for (;;) {
      const mark = w.body.pos;
      try {
        const next = rows.next();
        if (next.done) break;
        writeRow(w.body, columns, next.value, deps.nbcRow);
      } catch (err) {
        w.body.pos = mark; // drop the half-written row; the stream stays well-formed
        return toTdsError(err, { original: '', line: 1 });
      }
      count++;
      deps.stats.rowsSent++;
      if (w.unsent >= FLUSH_BYTES && (await flushSome(w, control, deps, ++flushes)) === 'cancelled') return 'cancelled';
      if (slow && count % slow.everyRows === 0) {
        w.flush();
        await control.sleep(slow.delayMs);
        if (control.cancelled) return 'cancelled';
      }
    }
  } finally {
    outcome.close();
  }
  return count;
}

/** Sends what is written so far; waits while the client is behind, and gives ATTENTION a turn every few flushes. */
async function flushSome(w: MessageWriter, control: RunControl, deps: RunnerDeps, flushes: number): Promise<'cancelled' | 'go on'> {
  if (!w.flush()) {
    deps.stats.backpressureWaits++;
    await control.waitForDrain();
  } else if (flushes % YIELD_EVERY_FLUSHES === 0) {
    await new Promise((resolve) => setImmediate(resolve));
  }
  return control.cancelled ? 'cancelled' : 'go on';
}

type RowsOutcome = Extract<ReturnType<QueryExecutor['run']>, { kind: 'rows' }>;

/** Sends the rows of a generated result as bytes encoded on first use, with the same flushing, backpressure and cancel. */
async function replayRows(w: MessageWriter, outcome: RowsOutcome, control: RunControl, deps: RunnerDeps): Promise<number | 'cancelled'> {
  const key = `${outcome.replayKey}\0${deps.nbcRow}`;
  let replay = deps.executor.replays.get(key);
  if (!replay) {
    const encoded = new ByteWriter();
    let rowCount = 0;
    for (let next = outcome.rows.next(); !next.done; next = outcome.rows.next(), rowCount++) writeRow(encoded, outcome.columns, next.value, deps.nbcRow);
    replay = { bytes: Buffer.from(encoded.view()), rowCount };
    deps.executor.replays.set(key, replay);
  }
  outcome.close();
  const { bytes, rowCount } = replay;
  let flushes = 0;
  for (let at = 0; at < bytes.length; at += FLUSH_BYTES) {
    w.body.bytes(bytes.subarray(at, at + FLUSH_BYTES));
    if ((await flushSome(w, control, deps, ++flushes)) === 'cancelled') return 'cancelled';
  }
  deps.stats.rowsSent += rowCount;
  return rowCount;
}
