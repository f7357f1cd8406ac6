import fs from 'node:fs';
import http from 'node:http';
import path from 'node:path';
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

  it('the engine reads only files the user picked in the open dialog', async () => {
    const { page, pickFile, dataDir } = await app.open({ sampleData: false });
    // Any file the user can read, e.g. a key or a config: a compromised page must not turn it into a table.
    const secret = path.join(dataDir, 'not-picked.csv');
    fs.writeFileSync(secret, 'user,token\nalice,s3cret\n');
    const importAs = (table: string, file: string) =>
      page.evaluate(([t, f]) => window.quarry.logs.import({ file: f!, table: t! }).then((r) => `${r.rows} rows`, (e: Error) => e.message), [table, file]);
    expect(await importAs('stolen', secret)).toBe(`[forbidden] logs.import: ${secret} was not chosen in a file dialog, so Quarry will not read it from a window (choose it again, or use the quarry CLI)`);
    expect(await page.evaluate(() => window.quarry.logs.tables({}))).toEqual([]);

    // The same file once the user picks it in the dialog (which is all the UI ever passes on).
    pickFile(secret);
    const picked = await page.evaluate(() => window.quarry.desktop.chooseOpenPath({ title: 'Import logs', filters: [] }));
    expect(picked).toBe(secret);
    expect(await importAs('picked', secret)).toBe('1 rows');
    // A picked file grants itself only: its folder, or a path beside it, stays closed.
    expect(await importAs('beside', path.join(dataDir, 'other.csv'))).toMatch(/^\[forbidden\] /);
    expect(await importAs('parent', `${secret}/..`)).toMatch(/^\[forbidden\] /);
  });

  it('the engine writes an export only to the path the user picked in the save dialog, once', async () => {
    const { page, dataDir, saveDir } = await app.open({ sampleData: false });
    const range = { from: '2024-01-01T00:00:00Z', to: '2024-01-02T00:00:00Z' };
    const exportTo = (file: string) =>
      page.evaluate(([f, t]) => window.quarry.reports.export({ target: t as typeof range, format: 'html', path: f as string }).then((r) => r.path, (e: Error) => e.message), [file, range] as const);
    const planted = path.join(dataDir, 'autostart.html');
    expect(await exportTo(planted)).toMatch(/^\[forbidden\] reports\.export: .*autostart\.html was not chosen in a file dialog/);
    expect(fs.existsSync(planted)).toBe(false);

    const chosen = await page.evaluate(() => window.quarry.desktop.chooseSavePath({ title: 'Export', defaultName: 'period.html', extensions: ['html'] }));
    expect(chosen).toBe(path.join(saveDir, 'period.html'));
    expect(await exportTo(chosen!)).toBe(chosen);
    expect(fs.readFileSync(chosen!, 'utf8')).toContain('<html');
    // Used up: writing there again needs the user to choose it again.
    fs.rmSync(chosen!);
    expect(await exportTo(chosen!)).toMatch(/^\[forbidden\] /);
    expect(fs.existsSync(chosen!)).toBe(false);
  });
});
