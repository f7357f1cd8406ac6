import fs from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { Worker } from 'node:worker_threads';
import type { Db } from '../store/db.js';
import type { PackedRows } from './packed-rows.js';
import type { WriterReply, WriterRequest } from './writer-protocol.js';

/** An idle writer thread is stopped after this long; the next large result starts another. */
let idleMs = 60_000;

/** For tests: how long an idle thread lives. */
export function setWriterThreadIdleMs(ms: number): void {
  idleMs = ms;
}

/**
 * The engine's side of the store's writer thread (result-writer-thread.ts):
 * one per store file, started when a result first needs it, stopped when idle
 * or when the store closes. `write` resolves once the batch is committed.
 */
export class WriterThread {
  private readonly worker: Worker;
  private readonly ready: Promise<void>;
  private readonly pending = new Map<number, { resolve(): void; reject(err: Error): void }>();
  private nextId = 1;
  private idle: NodeJS.Timeout | null = null;
  private failure: Error | null = null;
  private stopped = false;
  /** Started and not failed since: batches can go to it right away. */
  isReady = false;
  /** Results writing through this thread now: it is not idle while one is, however slowly its rows come. */
  private holders = 0;

  constructor(
    file: string,
    private readonly onStop: () => void,
  ) {
    this.worker = startWorker(file);
    this.ready = new Promise<void>((resolve, reject) => {
      this.worker.once('message', (m: WriterReply) => ('ready' in m ? resolve() : reject(new Error('the writer thread did not start'))));
      this.worker.once('error', reject);
    });
    this.ready.then(() => void (this.isReady = !this.failure), () => undefined);
    this.worker.on('message', (m: WriterReply) => this.settle(m));
    this.worker.on('error', (err) => this.fail(err));
    this.worker.on('exit', () => this.fail(new Error('the writer thread stopped')));
    this.worker.unref();
    this.armIdle();
  }

  /** Resolves once the thread has opened the store, rejects if it could not. */
  started(): Promise<void> {
    return this.ready;
  }

  write(table: string, batch: PackedRows): Promise<void> {
    if (this.failure) return Promise.reject(this.failure);
    const id = this.nextId++;
    const done = new Promise<void>((resolve, reject) => this.pending.set(id, { resolve, reject }));
    if (this.pending.size === 1) {
      // Work in flight keeps the process (the CLI) alive until it is stored.
      this.worker.ref();
      this.disarmIdle();
    }
    this.worker.postMessage({ kind: 'write', id, table, batch } satisfies WriterRequest, [batch.buffer]);
    return done;
  }

  /** Keeps the thread for a result until the returned release is called (once). */
  hold(): () => void {
    this.holders++;
    this.disarmIdle();
    let released = false;
    return () => {
      if (released) return;
      released = true;
      this.holders--;
      this.armIdle();
    };
  }

  forget(table: string): void {
    if (!this.failure) this.worker.postMessage({ kind: 'forget', table } satisfies WriterRequest);
  }

  stop(): void {
    if (this.stopped) return;
    this.stopped = true;
    this.disarmIdle();
    this.fail(new Error('the store was closed'));
    void this.worker.terminate();
  }

  private settle(m: WriterReply): void {
    if ('ready' in m) return;
    const waiter = this.pending.get(m.id);
    if (!waiter) return;
    this.pending.delete(m.id);
    if ('error' in m) waiter.reject(new Error(m.error));
    else waiter.resolve();
    if (this.pending.size === 0) {
      this.worker.unref();
      this.armIdle();
    }
  }

  private fail(err: Error): void {
    this.failure ??= err;
    this.isReady = false;
    for (const waiter of this.pending.values()) waiter.reject(this.failure);
    this.pending.clear();
    if (!this.stopped) {
      this.stopped = true;
      this.disarmIdle();
      void this.worker.terminate();
    }
    this.onStop();
  }

  private armIdle(): void {
    this.disarmIdle();
    if (this.holders > 0 || this.pending.size > 0 || this.stopped) return;
    this.idle = setTimeout(() => this.stop(), idleMs);
    this.idle.unref();
  }

  private disarmIdle(): void {
    if (this.idle) clearTimeout(this.idle);
    this.idle = null;
  }
}

const threads = new Map<string, WriterThread>();

/** The writer thread for a store, started on first use; null for an in-memory store, which no other connection can see. */
export function writerThreadFor(db: Db): WriterThread | null {
  if (db.memory || !db.name || db.name === ':memory:') return null;
  let thread = threads.get(db.name);
  if (!thread) {
    const file = db.name;
    thread = new WriterThread(file, () => {
      if (threads.get(file) === thread) threads.delete(file);
    });
    threads.set(file, thread);
  }
  return thread;
}

/** Stops the store's writer thread, if it has one (the store is closing). */
export function stopWriterThread(db: Db): void {
  threads.get(db.name)?.stop();
}

/**
 * The thread runs result-writer-thread. Bundled (the app), it is a sibling
 * file of this code's bundle; from source (the CLI, tests) it is TypeScript,
 * loaded through tsx, which each thread must register for itself.
 */
function startWorker(file: string): Worker {
  const here = import.meta.url;
  if (here.endsWith('.js')) {
    return new Worker(new URL('./result-writer-thread.js', here), { workerData: { file } });
  }
  const entry = new URL('./result-writer-thread.ts', here).href;
  const bootstrap = `
    const { workerData } = require('node:worker_threads');
    import(workerData.tsx).then(({ register }) => { register(); return import(workerData.entry); });
  `;
  return new Worker(bootstrap, { eval: true, workerData: { file, tsx: tsxEsmApi(), entry } });
}

/** tsx's ESM API (its CommonJS build cannot register a loader from inside a worker). */
function tsxEsmApi(): string {
  const require = createRequire(import.meta.url);
  const manifest = require.resolve('tsx/package.json');
  const { exports } = JSON.parse(fs.readFileSync(manifest, 'utf8')) as { exports: Record<string, { import: { default: string } }> };
  return pathToFileURL(path.join(path.dirname(manifest), exports['./esm/api']!.import.default)).href;
}

