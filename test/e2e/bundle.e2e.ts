import fs from 'node:fs';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { Worker } from 'node:worker_threads';
import Database from 'better-sqlite3';
import { describe, expect, it } from 'vitest';
import { packRows } from '../../engine/runs/packed-rows.js';
import type { WriterReply } from '../../engine/runs/writer-protocol.js';
import { tempDir } from '../helpers/temp-dir.js';

/** The built app (global setup runs electron-vite): what the engine bundle starts besides itself. */
const mainOut = path.resolve('out/main');

describe('the app bundle', () => {
  it('ships the store writer thread next to the engine host, and it stores a packed batch', async () => {
    expect(fs.readFileSync(path.join(mainOut, 'engine-host.js'), 'utf8')).toContain('./result-writer-thread.js');
    const file = path.join(tempDir('quarry-bundle-'), 'quarry.db');
    const db = new Database(file);
    db.pragma('journal_mode = WAL');
    db.exec('CREATE TABLE results_1 (c0, c1)');
    const worker = new Worker(pathToFileURL(path.join(mainOut, 'result-writer-thread.js')), { workerData: { file } });
    try {
      const replies: WriterReply[] = [];
      const answered = new Promise<void>((resolve, reject) => {
        worker.on('message', (m: WriterReply) => {
          replies.push(m);
          if (replies.length === 2) resolve();
        });
        worker.on('error', reject);
      });
      const batch = packRows(Array.from({ length: 1000 }, (_, i) => [i, `row-${i}`]), 2);
      worker.postMessage({ kind: 'write', id: 7, table: 'results_1', batch }, [batch.buffer]);
      await answered;
      expect(replies).toEqual([{ ready: true }, { id: 7, rows: 1000 }]);
      expect(db.prepare('SELECT count(*) AS n, max(c0) AS last, max(c1) AS name FROM results_1').get()).toEqual({ n: 1000, last: 999, name: 'row-999' });
    } finally {
      await worker.terminate();
      db.close();
    }
  });
});
