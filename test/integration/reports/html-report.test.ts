import fs from 'node:fs';
import path from 'node:path';
import { pathToFileURL, fileURLToPath } from 'node:url';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import type { Browser } from 'playwright';
import type { Engine } from '../../../engine/engine.js';
import { createDispatcher } from '../../../engine/dispatch.js';
import { tempDir } from '../../helpers/temp-dir.js';
import { createReportWorld, huntInput, payloads } from './fixture.js';
import { launchChromium } from './chromium.js';

const repoRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../..');
/** With the e2e screenshots: a picture of each kind of report, kept as a test artifact. */
const screens = path.join(repoRoot, 'test-results/screens');

async function shot(page: import('playwright').Page, name: string): Promise<void> {
  const file = path.join(screens, `${name}.png`);
  fs.mkdirSync(screens, { recursive: true });
  fs.rmSync(file, { force: true });
  await page.screenshot({ path: file, fullPage: true });
  // A full page of report, not an error page or a blank: taller than the window and far from empty.
  expect(fs.readFileSync(file).readUInt32BE(20)).toBeGreaterThan(900);
  expect(fs.statSync(file).size).toBeGreaterThan(50_000);
}

let browser: Browser;
let engine: Engine | undefined;
beforeAll(async () => {
  browser = await launchChromium();
});
afterAll(async () => {
  await browser?.close();
});
afterEach(() => engine?.close());

/** Opens an exported HTML file with JavaScript on (so an injected script would run) and records every request. */
async function open(file: string) {
  const context = await browser.newContext({ viewport: { width: 1200, height: 900 } });
  const page = await context.newPage();
  const requests: string[] = [];
  const consoleErrors: string[] = [];
  page.on('request', (r) => requests.push(r.url()));
  page.on('console', (m) => m.type() === 'error' && consoleErrors.push(m.text()));
  await page.goto(pathToFileURL(file).href, { waitUntil: 'load' });
  return { page, context, requests, consoleErrors };
}

describe('the HTML hunt report in Chromium', () => {
  it('shows the hunt, its figures, a timeline and the intel, runs no injected markup and fetches nothing', async () => {
    const world = await createReportWorld();
    engine = world.engine;
    const file = path.join(tempDir('quarry-report-'), 'report.html');
    const result = (await createDispatcher(engine)('reports.export', { target: { runId: world.runId }, format: 'html', path: file })) as { path: string; bytes: number };
    expect(result.path).toBe(file);
    expect(result.bytes).toBe(fs.statSync(file).size);

    const { page, context, requests, consoleErrors } = await open(file);
    try {
      expect(await page.title()).toBe(`${huntInput.name} · Hunt report · Quarry`);
      expect(await page.locator('h1').innerText()).toBe(huntInput.name);
      const facts = await page.locator('.fact').allInnerTexts();
      expect(facts.map((f) => f.replace(/\s+/g, ' ').trim())).toEqual(expect.arrayContaining(['244 ROWS', '3 MALICIOUS INDICATORS', '3 FINDINGS']));
      const text = await page.locator('body').innerText();
      expect(text).toContain('returned 244 rows with events from 2026-01-05 05:58:00 UTC to 2026-01-05 11:48:22 UTC');

      // The timeline: one bar per non-empty 10-minute bucket, summing to the 243 timed rows.
      const bars = page.locator('svg.timeline-chart rect.bar');
      expect(await bars.count()).toBeGreaterThan(20);
      const titles = await bars.locator('title').allTextContents();
      expect(titles.reduce((n, t) => n + Number(t.split(': ').pop()), 0)).toBe(243);
      expect(await page.locator('figure.timeline figcaption').innerText()).toContain('per 10 min');

      // Entities, indicators with provider links, the finding's tickets, ATT&CK links.
      expect(await page.locator('.entity h4').allInnerTexts()).toEqual(['UserPrincipalNameAccount', 'IPAddressIP']);
      expect(await page.locator('#indicators a[href="https://www.virustotal.com/gui/ip-address/203.0.113.7"]').count()).toBe(1);
      expect(await page.locator('#findings a', { hasText: 'INC0012345' }).getAttribute('href')).toContain('contoso.service-now.example');
      expect(await page.locator('#attack a[href="https://attack.mitre.org/techniques/T1110/003/"]').count()).toBe(1);
      expect(await page.locator('#attack a[href="https://attack.mitre.org/tactics/TA0006/"]').count()).toBe(1);

      // Attacker-controlled cells are shown as text and never run.
      expect(text).toContain(payloads.script);
      expect(text).toContain(payloads.img);
      expect(await page.evaluate(() => (window as unknown as { __pwned?: number }).__pwned)).toBeUndefined();
      expect(await page.locator('script').count()).toBe(0);
      expect(await page.locator('img').count()).toBe(0);
      expect(await page.locator('[onerror]').count()).toBe(0);
      // A provider link that is not a web link (javascript:) stays text.
      expect(await page.locator('a[href^="javascript"]').count()).toBe(0);

      // Styled (the CSP's style hash matches the inline sheet) and nothing fetched but the file itself.
      expect(await page.locator('.masthead').evaluate((el) => getComputedStyle(el).borderBottomColor)).toBe('rgb(37, 99, 235)');
      expect(await page.locator('meta[http-equiv="Content-Security-Policy"]').getAttribute('content')).toContain("default-src 'none'");
      expect(requests).toEqual([pathToFileURL(file).href]);
      expect(consoleErrors).toEqual([]);

      await shot(page, 'report-run');
    } finally {
      await context.close();
    }
  });

  it('renders finding and period reports, with the same guarantees', async () => {
    const world = await createReportWorld();
    engine = world.engine;
    const call = createDispatcher(engine);
    const dir = tempDir('quarry-report-');
    const finding = path.join(dir, 'finding.html');
    const period = path.join(dir, 'period.html');
    await call('reports.export', { target: { findingId: world.findingId }, format: 'html', path: finding });
    await call('reports.export', { target: { from: '2020-01-01T00:00:00Z', to: '2099-01-01T00:00:00Z' }, format: 'html', path: period });

    const f = await open(finding);
    try {
      expect(await f.page.locator('h1').innerText()).toBe(`${huntInput.name}: 203.0.113.7`);
      const text = await f.page.locator('body').innerText();
      expect(text).toContain('Tickets: SEC-42 (soc-jira), INC0012345 (soc-servicenow).');
      expect(await f.page.locator('h3.run-title').textContent()).toBe(`Run #${world.runId}: ${huntInput.name}`);
      expect(await f.page.locator('svg.timeline-chart rect.bar').count()).toBeGreaterThan(0);
      expect(await f.page.evaluate(() => (window as unknown as { __pwned?: number }).__pwned)).toBeUndefined();
      expect(f.requests).toEqual([pathToFileURL(finding).href]);
      await shot(f.page, 'report-finding');
    } finally {
      await f.context.close();
    }

    const p = await open(period);
    try {
      expect(await p.page.locator('h1').innerText()).toBe('Threat hunting report');
      const text = await p.page.locator('body').innerText();
      expect(text).toContain('1 run of 1 hunt started between 2020-01-01 00:00:00 UTC and 2099-01-01 00:00:00 UTC');
      expect(await p.page.locator('#hunts td', { hasText: huntInput.name }).count()).toBe(1);
      expect(await p.page.locator('#findings tbody tr').count()).toBe(3);
      expect(p.requests).toEqual([pathToFileURL(period).href]);
      await shot(p.page, 'report-period');
    } finally {
      await p.context.close();
    }
  });
});
