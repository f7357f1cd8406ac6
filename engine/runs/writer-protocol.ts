import type { PackedRows } from './packed-rows.js';

/** What the engine asks its writer thread (result-writer-thread.ts). */
export type WriterRequest =
  /** Insert `batch` into `table` in one transaction. */
  | { kind: 'write'; id: number; table: string; batch: PackedRows }
  /** `table` was dropped: forget its prepared statements. */
  | { kind: 'forget'; table: string };

/** What it answers: once when it is ready, then once per write. */
export type WriterReply = { ready: true } | { id: number; rows: number } | { id: number; error: string };
