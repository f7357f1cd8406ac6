import fs from 'node:fs';
import http from 'node:http';
import path from 'node:path';
import { randomBytes, timingSafeEqual } from 'node:crypto';
import { fileURLToPath } from 'node:url';
import { Engine, type EngineOptions } from '../../../engine/engine.js';
import { createDispatcher } from '../../../engine/dispatch.js';
import { serveClient } from '../../../engine/transport/serve.js';
import { PathGrants, receivePathGrant, type PathAccess } from '../../../engine/transport/path-grants.js';
import { guardPaths } from '../../../engine/transport/path-guard.js';
import { CONTENT_SECURITY_POLICY } from '../../../electron/main/security.js';
import { acceptWebSocket } from './ws-server.js';

export const repoRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../..');
export const rendererDir = path.join(repoRoot, 'out/renderer');

export interface Bridge {
  /** The app page, e.g. http://127.0.0.1:41234/index.html */
  url: string;
  /** ws://127.0.0.1:41234/engine */
  socketUrl: string;
  token: string;
  engine: Engine;
  /** WebSocket connections refused for a bad token or origin (tests check this stays honest). */
  refused: number;
  /** Main's part when a file dialog returns: the page may then name this path in engine calls. */
  grantPath(path: string, access: PathAccess): Promise<void>;
  close(): Promise<void>;
}

const contentTypes: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.woff2': 'font/woff2',
  '.json': 'application/json',
};

/** bigint and Buffer values of stored rows are not JSON; the port transport clones them, this wire spells them out. */
const jsonReplacer = (_key: string, value: unknown): unknown => {
  if (typeof value === 'bigint') return Number.isSafeInteger(Number(value)) ? Number(value) : value.toString();
  if (value && typeof value === 'object' && (value as { type?: string }).type === 'Buffer' && Array.isArray((value as { data?: unknown }).data)) {
    return Buffer.from((value as { data: number[] }).data).toString('base64');
  }
  return value;
};

/**
 * The end-to-end tests' stand-in for Electron: a real Engine on its own data
 * dir, the real renderer build over http on 127.0.0.1 (port 0, so tests run in
 * parallel), and the engine API on a WebSocket that needs a random token and
 * the page's own origin. Same dispatcher, path check and serve code as the
 * app's engine host; only the wire differs.
 */
export async function startBridge(opts: { dataDir: string } & Partial<EngineOptions>): Promise<Bridge> {
  if (!fs.existsSync(path.join(rendererDir, 'index.html'))) throw new Error(`no renderer build in ${rendererDir}: run npx electron-vite build`);
  // Tests seed what they need (fixtures/seed.ts); the first-start sample data would change their counts.
  const engine = await Engine.open({ sampleData: false, ...opts });
  // As in electron/engine-host: the page may name only files granted by the dialog stand-ins (dialogs.ts).
  const grants = new PathGrants();
  const dispatch = guardPaths(createDispatcher(engine), grants);
  let grantId = 0;
  const token = randomBytes(24).toString('hex');
  const state = { refused: 0 };
  const sockets = new Set<import('node:stream').Duplex>();

  const server = http.createServer((req, res) => {
    const pathname = decodeURIComponent(new URL(req.url ?? '/', 'http://x').pathname);
    const file = path.resolve(rendererDir, `.${pathname === '/' ? '/index.html' : pathname}`);
    if (!file.startsWith(rendererDir + path.sep) || !fs.existsSync(file) || !fs.statSync(file).isFile()) {
      res.writeHead(404).end('not found');
      return;
    }
    res.writeHead(200, {
      'Content-Type': contentTypes[path.extname(file)] ?? 'application/octet-stream',
      'Content-Security-Policy': CONTENT_SECURITY_POLICY,
      'Cache-Control': 'no-store',
    });
    fs.createReadStream(file).pipe(res);
  });

  server.on('upgrade', (req, socket) => {
    sockets.add(socket);
    socket.on('close', () => sockets.delete(socket));
    const url = new URL(req.url ?? '/', 'http://x');
    const given = Buffer.from(url.searchParams.get('token') ?? '');
    const origin = `http://${req.headers.host}`;
    const tokenOk = given.length === token.length && timingSafeEqual(given, Buffer.from(token));
    if (url.pathname !== '/engine' || !tokenOk || req.headers.origin !== origin) {
      state.refused++;
      socket.end('HTTP/1.1 403 Forbidden\r\nConnection: close\r\n\r\n');
      return;
    }
    const ws = acceptWebSocket(req, socket);
    if (!ws) return;
    const client = serveClient(dispatch, engine.events, (msg) => ws.send(JSON.stringify(msg, jsonReplacer)));
    ws.onMessage((text) => {
      try {
        client.receive(JSON.parse(text));
      } catch {
        ws.close(1007, 'not JSON');
      }
    });
    ws.onClose(() => client.close());
  });

  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as { port: number };
  return {
    url: `http://127.0.0.1:${port}/index.html`,
    socketUrl: `ws://127.0.0.1:${port}/engine`,
    token,
    engine,
    get refused() {
      return state.refused;
    },
    async grantPath(file, access) {
      // The engine host's own handling of main's message; in one process the grant is in place once this returns.
      if (!receivePathGrant(grants, { type: 'grant-path', id: ++grantId, path: file, access })) throw new Error('the grant was not taken');
    },
    async close() {
      for (const s of sockets) s.destroy();
      await new Promise<void>((resolve) => server.close(() => resolve()));
      engine.close();
    },
  };
}
