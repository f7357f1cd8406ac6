import https from 'node:https';
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { testTls } from '../tls/index.js';

export type Handler = (req: IncomingMessage, url: URL, body: Buffer, res: ServerResponse) => void | Promise<void>;

export interface RunningServer {
  /** https://127.0.0.1:<port>, no trailing slash. */
  url: string;
  close(): Promise<void>;
}

/** An HTTPS server on 127.0.0.1, port 0, with the test certificate. Handler errors become 500s so a broken fake shows up as one. */
export async function startHttpsServer(handler: Handler): Promise<RunningServer> {
  const server = https.createServer({ cert: testTls.cert, key: testTls.key }, (req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const url = new URL(req.url ?? '/', `https://${req.headers.host ?? '127.0.0.1'}`);
      Promise.resolve(handler(req, url, Buffer.concat(chunks), res)).catch((err: unknown) => {
        if (!res.headersSent) sendJson(res, 500, { error: { code: 'FakeBroken', message: String(err) } });
        else res.destroy();
      });
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `https://127.0.0.1:${port}`,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

export function sendJson(res: ServerResponse, status: number, body: unknown, headers: Record<string, string> = {}): void {
  const text = typeof body === 'string' ? body : JSON.stringify(body);
  res.writeHead(status, { 'content-type': 'application/json; charset=utf-8', 'content-length': Buffer.byteLength(text), ...headers });
  res.end(text);
}

/** Writes and waits for the socket to take it: a slow client slows the fake, as it would the service. */
export function write(res: ServerResponse, chunk: string | Buffer): Promise<void> {
  return new Promise((resolve, reject) => {
    if (res.destroyed) return reject(new Error('client went away'));
    if (res.write(chunk)) return resolve();
    const onDrain = (): void => {
      res.off('close', onClose);
      resolve();
    };
    const onClose = (): void => {
      res.off('drain', onDrain);
      reject(new Error('client went away'));
    };
    res.once('drain', onDrain);
    res.once('close', onClose);
  });
}

export const sleep = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, ms));
