import fs from 'node:fs';
import path from 'node:path';
import { afterAll, afterEach, beforeAll, expect } from 'vitest';
import type { Browser, Page } from 'playwright';
import { launchChromium, openApp, type App } from './bridge/browser.js';
import { repoRoot } from './bridge/server.js';
import { seedSignins } from './fixtures/seed.js';

export const screensDir = path.join(repoRoot, 'test-results/screens');

/**
 * One Chromium per test file, a fresh app (data dir, engine, bridge, browser
 * context) per test. After each test the page must not have logged an
 * error it did not expect.
 */
export function useApp(): { open(opts?: Parameters<typeof openApp>[1] & { seeded?: boolean }): Promise<App> } {
  let browser: Browser;
  const apps: App[] = [];
  beforeAll(async () => {
    browser = await launchChromium();
  });
  afterEach(async () => {
    const errors = apps.flatMap((a) => a.errors);
    await Promise.all(apps.splice(0).map((a) => a.close()));
    expect(errors, 'errors in the page console').toEqual([]);
  });
  afterAll(async () => {
    await browser?.close();
  });
  return {
    async open(opts = {}) {
      const app = await openApp(browser, { ...opts, seed: opts.seeded ? (b) => seedSignins(b, b.engine.dataDir) : opts.seed });
      apps.push(app);
      return app;
    },
  };
}

/** A screenshot of the whole window, kept as a test artifact. */
export async function shot(page: Page, name: string): Promise<void> {
  fs.mkdirSync(screensDir, { recursive: true });
  await page.screenshot({ path: path.join(screensDir, `${name}.png`) });
}

/** Starts a hunt from the library by its name and waits for the run view to show rows. */
export async function runFromLibrary(page: Page, huntName: string): Promise<void> {
  await page.goto(page.url().replace(/#.*$/, '') + '#/hunts');
  await page.locator('[data-testid=hunt-row]', { hasText: huntName }).getByRole('button', { name: `Run ${huntName}` }).click();
  await page.locator('[data-testid=results-grid] [data-row-index]').first().waitFor();
}

/** The text of each visible cell of one column of the grid, top to bottom. */
export async function columnValues(page: Page, column: string): Promise<string[]> {
  const headers = await page.locator('[data-testid=results-grid] [role=columnheader] .hname').allTextContents();
  const index = headers.indexOf(column);
  if (index < 0) throw new Error(`no column ${column} in ${headers.join(', ')}`);
  return page.locator(`[data-testid=results-grid] [data-row-index] >> nth=0`).count().then(async () =>
    page.$$eval(`[data-testid=results-grid] [data-row-index]`, (rows, i) => rows.map((r) => r.querySelectorAll('[role=gridcell]')[i]?.textContent?.trim() ?? ''), index),
  );
}
