import http, { type IncomingHttpHeaders, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { setTimeout as delay } from 'node:timers/promises';

/**
 * The loopback plumbing the five sink fakes share: port 0 on 127.0.0.1, a log
 * of every request (parsed JSON body included), and the faults a delivery
 * must survive: scripted error answers (429 with Retry-After, 5xx), slow
 * answers, dropping the connection after the request was processed (the
 * ticket exists but the client never hears so), and holding the answer until
 * the test lets it go (to "crash" the client mid-request). Each fake supplies
 * the service's routes and documented bodies.
 */

export interface FakeRequest {
  method: string;
  path: string;
  query: URLSearchParams;
  headers: IncomingHttpHeaders;
  raw: string;
  /** The body parsed as JSON; undefined when it is not JSON. */
  json: unknown;
}

export interface RecordedRequest extends FakeRequest {
  /** What the client got: a status, or null when the connection was dropped. */
  status: number | null;
}

export interface FakeReply {
  status: number;
  /** An object is sent as JSON; a string as text. */
  body?: unknown;
  headers?: Record<string, string>;
}

export type Route = (req: FakeRequest) => FakeReply;

export interface Hold {
  /** Resolves once a request has been processed and its answer is being held. */
  reached: Promise<void>;
  /** Sends the held answer (to whoever is still listening). */
  release(): void;
}

export interface LoopbackFake {
  readonly url: string;
  readonly requests: RecordedRequest[];
  /** The next `times` requests get `reply` before the service sees them (no side effects). */
  failNext(reply: FakeReply, times?: number): void;
  /**
   * The next `times` requests (that `when` accepts) are processed, so tickets
   * get created, and then the connection is destroyed unanswered.
   */
  dropNext(times?: number, when?: (req: FakeRequest) => boolean): void;
  /** The next request (that `when` accepts) is processed, and its answer held until released. */
  holdNext(when?: (req: FakeRequest) => boolean): Hold;
  /** Every answer waits this long first (a slow service). */
  delayMs: number;
  close(): Promise<void>;
}

export async function startLoopbackFake(route: Route): Promise<LoopbackFake> {
  const requests: RecordedRequest[] = [];
  const faults: FakeReply[] = [];
  const drops: Array<(req: FakeRequest) => boolean> = [];
  let hold: { when: (req: FakeRequest) => boolean; resolveReached: () => void; released: Promise<void> } | null = null;
  const state = { delayMs: 0 };

  const send = (res: ServerResponse, reply: FakeReply): void => {
    const isText = typeof reply.body === 'string';
    const body = reply.body === undefined ? '' : isText ? (reply.body as string) : JSON.stringify(reply.body);
    const headers: Record<string, string> = { ...(body ? { 'content-type': isText ? 'text/plain; charset=utf-8' : 'application/json' } : {}), ...reply.headers };
    res.writeHead(reply.status, headers);
    res.end(body);
  };

  const server = http.createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      void (async () => {
        const raw = Buffer.concat(chunks).toString('utf8');
        const url = new URL(req.url ?? '/', 'http://fake');
        let json: unknown;
        try {
          json = raw ? JSON.parse(raw) : undefined;
        } catch {
          json = undefined;
        }
        const fr: FakeRequest = { method: req.method ?? 'GET', path: url.pathname, query: url.searchParams, headers: req.headers, raw, json };
        const record: RecordedRequest = { ...fr, status: null };
        requests.push(record);
        if (state.delayMs > 0) await delay(state.delayMs);
        const fault = faults.shift();
        const reply = fault ?? route(fr);
        const drop = fault ? -1 : drops.findIndex((when) => when(fr));
        if (drop >= 0) {
          drops.splice(drop, 1);
          req.socket.destroy();
          return;
        }
        if (!fault && hold?.when(fr)) {
          const h = hold;
          hold = null;
          h.resolveReached();
          await h.released;
        }
        record.status = reply.status;
        if (!res.destroyed) send(res, reply);
      })();
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;

  return {
    url: `http://127.0.0.1:${port}`,
    requests,
    failNext(reply, times = 1) {
      for (let i = 0; i < times; i++) faults.push(reply);
    },
    dropNext(times = 1, when = () => true) {
      for (let i = 0; i < times; i++) drops.push(when);
    },
    holdNext(when = () => true) {
      let resolveReached!: () => void;
      let release!: () => void;
      const reached = new Promise<void>((r) => (resolveReached = r));
      const released = new Promise<void>((r) => (release = r));
      hold = { when, resolveReached, released };
      return { reached, release };
    },
    get delayMs() {
      return state.delayMs;
    },
    set delayMs(v: number) {
      state.delayMs = v;
    },
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

/** Decodes "Authorization: Basic ..." into [user, password]; null when absent or malformed. */
export function basicCredentials(headers: IncomingHttpHeaders): [string, string] | null {
  const m = /^Basic ([A-Za-z0-9+/=]+)$/.exec(headers.authorization ?? '');
  if (!m) return null;
  const text = Buffer.from(m[1]!, 'base64').toString('utf8');
  const i = text.indexOf(':');
  return i < 0 ? null : [text.slice(0, i), text.slice(i + 1)];
}

export const isJsonRequest = (req: FakeRequest): boolean => /^application\/json\b/i.test(req.headers['content-type'] ?? '');
