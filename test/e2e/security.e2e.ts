import http from 'node:http';
import { describe, expect, it } from 'vitest';
import { apiEventNames, apiMethodNames } from '../../engine/api-names.js';
import { useApp } from './helpers.js';

const app = useApp();

describe('what the page can reach', () => {
  it('window.quarry is the named engine API, desktop methods and on(): no generic invoke, no Node', async () => {
    const { page } = await app.open({ sampleData: false });
    const shape = await page.evaluate(() => {
      const q = window.quarry as unknown as Record<string, unknown>;
      const out: Record<string, string[]> = {};
      for (const [k, v] of Object.entries(q)) out[k] = typeof v === 'function' ? ['()'] : Object.keys(v as object).sort();
      return { out, frozen: Object.isFrozen(q), require: typeof (window as unknown as { require?: unknown }).require, process: typeof (window as unknown as { process?: unknown }).process };
    });
    const expected: Record<string, string[]> = { on: ['()'], desktop: ['chooseOpenPath', 'chooseSavePath', 'openLink', 'setTheme'] };
    for (const m of apiMethodNames) (expected[m.split('.')[0]!] ??= []).push(m.split('.')[1]!);
    for (const k of Object.keys(expected)) expected[k]!.sort();
    expect(shape.out).toEqual(expected);
    expect(shape).toMatchObject({ frozen: true, require: 'undefined', process: 'undefined' });
    // Subscribing to an event that does not exist fails loudly rather than silently never firing.
    expect(await page.evaluate((known) => {
      try {
        window.quarry.on('no.such.event' as never, () => {});
        return 'accepted';
      } catch (err) {
        return known.length > 0 && (err as Error).message;
      }
    }, [...apiEventNames])).toBe('unknown event: no.such.event');
  });

  it('the engine refuses unknown methods and invalid arguments with a clear error', async () => {
    const { page } = await app.open({ sampleData: false });
    const message = await page.evaluate(() => window.quarry.runs.rows({ runId: -1 }).catch((e: Error) => e.message));
    expect(message).toMatch(/runs\.rows: .*runId/);
  });

  it('the CSP blocks inline script and remote requests', async () => {
    const { page, expectErrors } = await app.open({ sampleData: false });
    expectErrors(/Content Security Policy|Failed to fetch|ERR_/);
    const result = await page.evaluate(async () => {
      const s = document.createElement('script');
      s.textContent = 'window.__inlineRan = true';
      document.body.append(s);
      const fetched = await fetch('https://example.com/').then(() => 'fetched', () => 'blocked');
      return { inline: (window as unknown as { __inlineRan?: boolean }).__inlineRan === true, fetched };
    });
    expect(result).toEqual({ inline: false, fetched: 'blocked' });
  });

  it('the bridge refuses a socket with a wrong token or from another origin', async () => {
    const { page, bridge, expectErrors } = await app.open({ sampleData: false });
    expectErrors(/token=wrong' failed/);
    const before = bridge.refused;
    const outcome = await page.evaluate(
      ([url]) =>
        new Promise<string>((resolve) => {
          const ws = new WebSocket(`${url}?token=wrong`);
          ws.onopen = () => resolve('open');
          ws.onerror = () => resolve('refused');
        }),
      [bridge.socketUrl],
    );
    expect(outcome).toBe('refused');
    expect(bridge.refused).toBe(before + 1);
    // The right token from a page of another origin (a browser tab on some web site) is refused too.
    const foreign = await new Promise<string>((resolve) => {
      const req = http.request(bridge.socketUrl.replace('ws:', 'http:') + `?token=${bridge.token}`, {
        headers: { Connection: 'Upgrade', Upgrade: 'websocket', Origin: 'https://evil.example', 'Sec-WebSocket-Version': '13', 'Sec-WebSocket-Key': 'dGhlIHNhbXBsZSBub25jZQ==' },
      });
      req.on('upgrade', (_res, socket) => (socket.destroy(), resolve('upgraded')));
      req.on('response', (res) => resolve(String(res.statusCode)));
      req.on('error', () => resolve('closed'));
      req.end();
    });
    expect(foreign).toBe('403');
    expect(bridge.refused).toBe(before + 2);
  });
});
