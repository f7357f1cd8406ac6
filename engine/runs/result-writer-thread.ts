/**
 * The store's writer thread: inserts packed result batches into quarry.db
 * through its own SQLite connection, so a large result is stored on another
 * core while the engine's thread keeps reading it from the source (and
 * answering the app). One batch is one transaction; WAL lets the engine read
 * the rows already committed. Started by writer-thread.ts.
 */
import { parentPort, workerData } from 'node:worker_threads';
import Database from 'better-sqlite3';
import { prepareGroupedInsert, type GroupedInsert } from '../store/grouped-insert.js';
import { insertPackedRows } from './packed-insert.js';
import type { WriterReply, WriterRequest } from './writer-protocol.js';

const port = parentPort!;
const { file } = workerData as { file: string };

const db = new Database(file);
db.pragma('synchronous = NORMAL');
db.pragma('busy_timeout = 5000');
// The same large page cache as the engine's connection: this one does the big inserts.
db.pragma('cache_size = -65536');

/** Prepared inserts per result table, a few at most: runs write one table at a time. */
const inserts = new Map<string, GroupedInsert>();
const MAX_PREPARED = 8;

function insertFor(table: string, width: number): GroupedInsert {
  const key = `${table}\0${width}`;
  let insert = inserts.get(key);
  if (!insert) {
    if (inserts.size >= MAX_PREPARED) inserts.delete(inserts.keys().next().value!);
    insert = prepareGroupedInsert(db, table, width);
    inserts.set(key, insert);
  }
  return insert;
}

/** A statement prepared for a table that was dropped is useless now. */
function forget(table: string): void {
  for (const key of [...inserts.keys()]) if (key.startsWith(`${table}\0`)) inserts.delete(key);
}

const write = db.transaction((request: Extract<WriterRequest, { kind: 'write' }>) => {
  insertPackedRows(insertFor(request.table, request.batch.width), request.batch);
});

port.on('message', (request: WriterRequest) => {
  let reply: WriterReply;
  if (request.kind === 'forget') return forget(request.table);
  try {
    write(request);
    reply = { id: request.id, rows: request.batch.rows };
  } catch (err) {
    forget(request.table);
    reply = { id: request.id, error: err instanceof Error ? err.message : String(err) };
  }
  port.postMessage(reply);
});

port.postMessage({ ready: true } satisfies WriterReply);
