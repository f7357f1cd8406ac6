import type { Writable } from 'node:stream';

/** Where the CLI writes; tests pass buffers instead of the process streams. */
export interface CliIo {
  stdout: Writable;
  stderr: Writable;
  stdin: NodeJS.ReadableStream;
  isTTY: boolean;
}

export function printJson(io: CliIo, value: unknown): void {
  io.stdout.write(`${JSON.stringify(value, (_k, v) => (typeof v === 'bigint' ? v.toString() : v), 2)}\n`);
}

/** A plain text table: padded columns, long cells cut with an ellipsis. */
export function printTable(io: CliIo, headers: string[], rows: unknown[][], maxCell = 60): void {
  const text = rows.map((r) => r.map((v) => cellText(v, maxCell)));
  const widths = headers.map((h, i) => Math.max(h.length, ...text.map((r) => r[i]!.length)));
  const line = (cells: string[]) => cells.map((c, i) => (i === cells.length - 1 ? c : c.padEnd(widths[i]!))).join('  ').trimEnd();
  io.stdout.write(`${line(headers)}\n`);
  for (const r of text) io.stdout.write(`${line(r)}\n`);
}

function cellText(v: unknown, max: number): string {
  let s = v === null || v === undefined ? '' : typeof v === 'object' ? JSON.stringify(v) : String(v);
  s = s.replace(/\s+/g, ' ');
  return s.length > max ? `${s.slice(0, max - 1)}…` : s;
}

export const plural = (n: number, word: string): string => `${n.toLocaleString('en-US')} ${word}${n === 1 ? '' : 's'}`;
