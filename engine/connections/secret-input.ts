import type { Writable } from 'node:stream';
import { QuarryError } from '../errors.js';

export interface SecretInputIo {
  stdin: NodeJS.ReadableStream;
  /** Prompts go to stderr so that stdout stays clean for --json. */
  stderr: Writable;
  isTTY: boolean;
}

/**
 * Reads one secret for the CLI, never from argv: piped standard input
 * (`printf '%s' "$SECRET" | quarry connections add ...`, one trailing
 * newline dropped) or, on a terminal, a prompt that does not echo.
 */
export async function readSecret(io: SecretInputIo, prompt: string): Promise<string> {
  const value = io.isTTY ? await promptNoEcho(io, prompt) : await readAll(io.stdin);
  const secret = value.replace(/\r?\n$/, '');
  if (!secret) throw new QuarryError('invalid_input', `no value given for ${prompt.replace(/:\s*$/, '')} (pipe it on standard input or type it at the prompt)`);
  return secret;
}

async function readAll(stream: NodeJS.ReadableStream): Promise<string> {
  const chunks: Buffer[] = [];
  for await (const chunk of stream) chunks.push(typeof chunk === 'string' ? Buffer.from(chunk) : chunk);
  return Buffer.concat(chunks).toString('utf8');
}

interface RawCapable {
  setRawMode?(mode: boolean): unknown;
  isRaw?: boolean;
}

/** A line typed at the terminal with echo off: raw mode, our own handling of Enter, Backspace and Ctrl-C. */
function promptNoEcho(io: SecretInputIo, prompt: string): Promise<string> {
  const stdin = io.stdin as NodeJS.ReadableStream & RawCapable;
  if (typeof stdin.setRawMode !== 'function') return readAll(stdin);
  io.stderr.write(prompt);
  const wasRaw = Boolean(stdin.isRaw);
  stdin.setRawMode(true);
  stdin.resume();
  return new Promise((resolve, reject) => {
    let value = '';
    const done = (err: Error | null): void => {
      stdin.off('data', onData);
      stdin.setRawMode!(wasRaw);
      stdin.pause();
      io.stderr.write('\n');
      if (err) reject(err);
      else resolve(value);
    };
    const onData = (data: Buffer | string): void => {
      for (const ch of data.toString()) {
        if (ch === '\r' || ch === '\n' || ch === '\u0004') return done(null);
        if (ch === '\u0003') return done(new QuarryError('cancelled', 'cancelled at the secret prompt'));
        if (ch === '\u007f' || ch === '\b') value = [...value].slice(0, -1).join('');
        else if (ch >= ' ') value += ch;
      }
    };
    stdin.on('data', onData);
  });
}
