import http from 'node:http';
import net from 'node:net';
import type { AddressInfo } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import { createHttpClient } from '../../../connectors/http/http-client.js';

/**
 * Behind a corporate proxy: every enricher and sink call goes through
 * HTTPS_PROXY / HTTP_PROXY, and NO_PROXY hosts are reached directly.
 */

const servers: Array<{ close(): void }> = [];
afterEach(() => {
  for (const s of servers.splice(0)) s.close();
});

async function listen(server: http.Server): Promise<string> {
  servers.push(server);
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
}

/** A forward proxy that tunnels CONNECT and forwards absolute-URI requests, writing down where each went. */
async function startProxy(): Promise<{ url: string; seen: string[] }> {
  const seen: string[] = [];
  const server = http.createServer((req, res) => {
    seen.push(`GET-VIA ${req.url}`);
    const target = new URL(req.url!);
    const upstream = http.request(target, { method: req.method, headers: req.headers }, (r) => {
      res.writeHead(r.statusCode ?? 502, r.headers);
      r.pipe(res);
    });
    req.pipe(upstream);
  });
  server.on('connect', (req, socket, head) => {
    seen.push(`CONNECT ${req.url}`);
    const [host, port] = req.url!.split(':');
    const upstream = net.connect(Number(port), host, () => {
      socket.write('HTTP/1.1 200 Connection Established\r\n\r\n');
      upstream.write(head);
      upstream.pipe(socket);
      socket.pipe(upstream);
    });
    upstream.on('error', () => socket.destroy());
  });
  return { url: await listen(server), seen };
}

async function startService(): Promise<{ url: string; hits: number }> {
  const service = { url: '', hits: 0 };
  service.url = await listen(http.createServer((_req, res) => {
    service.hits++;
    res.writeHead(200, { 'content-type': 'application/json' }).end('{"ok":true}');
  }));
  return service;
}

describe('the HTTP helper behind a proxy', () => {
  it('sends requests through the proxy it is given', async () => {
    const proxy = await startProxy();
    const service = await startService();
    const client = createHttpClient({ proxy: { httpProxy: proxy.url, httpsProxy: proxy.url } });
    const res = await client.request({ url: `${service.url}/api/v3/ip_addresses/203.0.113.7` });
    expect(res).toMatchObject({ status: 200, text: '{"ok":true}' });
    expect(service.hits).toBe(1);
    const port = new URL(service.url).port;
    expect(proxy.seen).toHaveLength(1);
    expect(proxy.seen[0]).toMatch(new RegExp(`^(CONNECT 127\\.0\\.0\\.1:${port}|GET-VIA http://127\\.0\\.0\\.1:${port}/api/v3/ip_addresses/203\\.0\\.113\\.7)$`));
  });

  it('reaches NO_PROXY hosts directly', async () => {
    const proxy = await startProxy();
    const service = await startService();
    const client = createHttpClient({ proxy: { httpProxy: proxy.url, httpsProxy: proxy.url, noProxy: '127.0.0.1' } });
    expect((await client.request({ url: `${service.url}/x` })).status).toBe(200);
    expect(service.hits).toBe(1);
    expect(proxy.seen).toEqual([]);
  });
});
