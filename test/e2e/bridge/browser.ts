import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { chromium, type Browser, type BrowserContext, type Page } from 'playwright';
import { startBridge, type Bridge } from './server.js';
import type { EngineOptions } from '../../../engine/engine.js';
import { shimScript } from './shim-bundle.js';
import { dialogStandIns } from './dialogs.js';

/** Debian's Chromium; Playwright's own browsers are never downloaded. */
export const CHROMIUM = process.env.QUARRY_CHROMIUM ?? '/usr/bin/chromium';

export function launchChromium(): Promise<Browser> {
  return chromium.launch({
    executablePath: CHROMIUM,
    args: ['--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--no-first-run', '--enable-precise-memory-info'],
  });
}

export interface App {
  bridge: Bridge;
  context: BrowserContext;
  page: Page;
  dataDir: string;
  saveDir: string;
  /** What the open dialog returns next, as if the user picked that file there; null cancels it. */
  pickFile(file: string | null): void;
  /** Console errors and uncaught exceptions of the page: a test fails if there are any it did not expect. */
  errors: string[];
  /** Declares console errors a test provokes on purpose (a CSP violation, a refused socket). */
  expectErrors(pattern: RegExp): void;
  close(): Promise<void>;
}

/**
 * A fresh data dir, a bridge with a real engine on it, and a new browser
 * context with `window.quarry` over the bridge: what one test gets.
 */
export async function openApp(
  browser: Browser,
  opts: {
    seed?: (bridge: Bridge) => Promise<void>;
    sampleData?: boolean;
    viewport?: { width: number; height: number };
    dataDirOverride?: string;
    /** Engine options beyond the data dir (e.g. a source trusting a fake's CA). */
    engine?: Partial<EngineOptions>;
  } = {},
): Promise<App> {
  // A prepared data dir (the bench's 500k-row run) is used as is and left for its owner to remove.
  const dataDir = opts.dataDirOverride ?? fs.mkdtempSync(path.join(os.tmpdir(), 'quarry-e2e-'));
  const saveDir = path.join(dataDir, 'saved');
  fs.mkdirSync(saveDir, { recursive: true });
  const bridge = await startBridge({ ...opts.engine, dataDir, sampleData: opts.sampleData ?? false });
  await opts.seed?.(bridge);
  const context = await browser.newContext({ viewport: opts.viewport ?? { width: 1440, height: 900 }, colorScheme: 'dark' });
  const page = await context.newPage();
  const errors: string[] = [];
  const expected: RegExp[] = [];
  const record = (text: string): void => void (expected.some((re) => re.test(text)) || errors.push(text));
  page.on('console', (m) => m.type() === 'error' && record(m.text()));
  page.on('pageerror', (e) => record(e.message));
  const dialogs = dialogStandIns(bridge, saveDir);
  // The shim's chooseSavePath/chooseOpenPath call back here, as the preload's go to main over IPC.
  await context.exposeFunction('__quarryDialog', (method: string, req: never) =>
    method === 'chooseSavePath' ? dialogs.chooseSavePath(req) : method === 'chooseOpenPath' ? dialogs.chooseOpenPath(req) : Promise.reject(new Error(`no dialog ${method}`)),
  );
  const config = { socketUrl: bridge.socketUrl, token: bridge.token };
  await page.addInitScript({ content: `window.__QUARRY_BRIDGE__ = ${JSON.stringify(config)};\n${await shimScript()}` });
  await page.goto(bridge.url);
  return {
    bridge,
    context,
    page,
    dataDir,
    saveDir,
    pickFile: dialogs.pickNext,
    errors,
    expectErrors: (pattern) => void expected.push(pattern),
    async close() {
      await context.close();
      await bridge.close();
      if (!opts.dataDirOverride) fs.rmSync(dataDir, { recursive: true, force: true });
    },
  };
}
