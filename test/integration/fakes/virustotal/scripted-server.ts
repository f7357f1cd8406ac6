import http, { type IncomingHttpHeaders, type IncomingMessage } from 'node:http';
import type { AddressInfo } from 'node:net';

/**
 * The loopback plumbing the three threat-intel fakes share (VirusTotal,
 * X-Force, OTX): port 0, a log of every request with the indicator it asked
 * about, scripted failures for the next N requests, slow responses, and a
 * "network down" switch that drops connections. Each fake supplies the
 * routing and the documented bodies.
 */

export interface RecordedRequest {
  method: string;
  path: string;
  headers: IncomingHttpHeaders;
  /** The indicator the request asked about, decoded (VirusTotal URL ids included); null for other paths. */
  indicator: string | null;
  status: number;
}

export interface FakeResponse {
  status: number;
  body?: unknown;
  headers?: Record<string, string>;
}

export interface RoutedResponse extends FakeResponse {
  indicator: string | null;
}

export interface ScriptedServer {
  readonly url: string;
  readonly requests: RecordedRequest[];
  /** The indicators asked about, in order (requests answered with a scripted failure included). */
  indicatorsRequested(): string[];
  /** The next `times` requests that pass authentication get `response` instead of the real answer. */
  failNext(response: FakeResponse, times?: number): void;
  /** Every answer waits this long first (a slow service). */
  delayMs: number;
  /** While true, connections are dropped without an answer (the network is down). */
  down: boolean;
  close(): Promise<void>;
}

export type Route = (req: IncomingMessage, url: URL) => RoutedResponse;
/** Returns an error response for bad credentials, or null to let the request through. */
export type AuthCheck = (req: IncomingMessage) => FakeResponse | null;

export async function startScriptedServer(route: Route, authCheck: AuthCheck): Promise<ScriptedServer> {
  const requests: RecordedRequest[] = [];
  const script: FakeResponse[] = [];
  const timers = new Set<NodeJS.Timeout>();
  const state = { delayMs: 0, down: false };

  const server = http.createServer((req, res) => {
    const url = new URL(req.url ?? '/', 'http://fake.invalid');
    if (state.down) {
      req.socket.destroy();
      return;
    }
    const routed = route(req, url);
    const denied = authCheck(req);
    const answer = denied ?? script.shift() ?? routed;
    requests.push({ method: req.method ?? '', path: url.pathname, headers: req.headers, indicator: routed.indicator, status: answer.status });
    const send = (): void => {
      const body = answer.body === undefined ? '' : JSON.stringify(answer.body);
      res.writeHead(answer.status, { 'content-type': 'application/json', ...answer.headers });
      res.end(body);
    };
    if (state.delayMs <= 0) return send();
    const timer = setTimeout(() => {
      timers.delete(timer);
      if (!res.destroyed) send();
    }, state.delayMs);
    timers.add(timer);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;

  return {
    url: `http://127.0.0.1:${port}`,
    requests,
    indicatorsRequested: () => requests.flatMap((r) => (r.indicator === null ? [] : [r.indicator])),
    failNext(response, times = 1) {
      for (let i = 0; i < times; i++) script.push(response);
    },
    get delayMs() {
      return state.delayMs;
    },
    set delayMs(ms: number) {
      state.delayMs = ms;
    },
    get down() {
      return state.down;
    },
    set down(v: boolean) {
      state.down = v;
    },
    close() {
      for (const t of timers) clearTimeout(t);
      server.closeAllConnections();
      return new Promise((resolve) => server.close(() => resolve()));
    },
  };
}

export const json = (status: number, body: unknown, indicator: string | null = null, headers?: Record<string, string>): RoutedResponse => ({
  status,
  body,
  indicator,
  headers,
});
