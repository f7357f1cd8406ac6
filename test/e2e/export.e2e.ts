import fs from 'node:fs';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { describe, expect, it } from 'vitest';
import type { Browser, Page } from 'playwright';
import { createDispatcher } from '../../engine/dispatch.js';
import { setPdfPrinter } from '../../engine/reports/pdf.js';
import type { Finding } from '../../engine/findings/types.js';
import type { ExportProgressEvent } from '../../engine/reports/api.js';
import type { Run } from '../../engine/types.js';
import { runFromLibrary, shot, useApp } from './helpers.js';

const app = useApp();

/** Picks a format from an open "Export…" menu by its label. */
const pick = (page: Page, label: string) => page.getByRole('menuitem', { name: new RegExp(`^${label.replace(/[()]/g, '\\$&')}`) }).click();

/** The toast an export ends with. */
const toast = (page: Page, text: string) => page.getByRole('status').filter({ hasText: text }).first().waitFor();

/** Opens an exported HTML file as a reader would: its own browser context, from disk. */
async function openReport(browser: Browser, file: string): Promise<{ page: Page; close(): Promise<void> }> {
  const context = await browser.newContext();
  const page = await context.newPage();
  await page.goto(pathToFileURL(file).href);
  return { page, close: () => context.close() };
}

describe('exporting from the app', () => {
  it('saves a run’s HTML report and its rows as CSV from the run view', async () => {
    const { page, bridge, saveDir, context } = await app.open({ seeded: true });
    await page.getByTestId('hunt-row').first().waitFor();
    await runFromLibrary(page, 'Failed sign-ins');
    const run = ((await createDispatcher(bridge.engine)('runs.list', {})) as Run[])[0]!;

    await page.getByRole('button', { name: 'Export…' }).click();
    await shot(page, 'run-export-menu');
    await pick(page, 'Hunt report (HTML)');
    await toast(page, 'Saved ');
    const html = path.join(saveDir, `Failed-sign-ins-run-${run.id}.html`);
    expect(await page.evaluate(() => window.__quarryDesktopCalls.filter((c) => c.method === 'chooseSavePath').map((c) => c.arg))).toEqual([
      { title: `Export run ${run.id}`, defaultName: `Failed-sign-ins-run-${run.id}.html`, extensions: ['html'] },
    ]);
    const report = await openReport(context.browser()!, html);
    try {
      expect(await report.page.locator('h1').innerText()).toBe('Failed sign-ins');
      expect(await report.page.locator('body').innerText()).toContain(`returned ${run.rowCount.toLocaleString('en-US')} rows`);
      expect(await report.page.locator('svg.timeline-chart rect.bar').count()).toBeGreaterThan(0);
    } finally {
      await report.close();
    }

    await page.getByRole('button', { name: 'Export…' }).click();
    await pick(page, 'Rows as CSV');
    await toast(page, `${run.rowCount.toLocaleString('en-US')} rows`);
    const csv = fs.readFileSync(path.join(saveDir, `Failed-sign-ins-run-${run.id}.csv`), 'utf8').trimEnd().split('\r\n');
    expect(csv[0]).toBe('TimeGenerated,UserPrincipalName,IPAddress,ResultType,AppDisplayName,Location');
    expect(csv).toHaveLength(run.rowCount + 1);
    expect(csv.filter((l) => l.includes(',203.0.113.7,'))).toHaveLength(240);
  });

  it('shows an export in progress and cancels it, leaving no file', async () => {
    const { page, bridge, saveDir } = await app.open({ seeded: true });
    let release: (pdf: Buffer) => void = () => {};
    let printing = 0;
    // A printer that holds the PDF until the test lets it go: the export is caught in the middle, every time.
    setPdfPrinter(bridge.engine, () => {
      printing++;
      return new Promise<Buffer>((resolve) => (release = resolve));
    });
    const phases: string[] = [];
    bridge.engine.events.on('export.progress', (p: ExportProgressEvent) => phases.push(p.phase));
    await page.getByTestId('hunt-row').first().waitFor();
    await runFromLibrary(page, 'Password spray from one address');

    await page.getByRole('button', { name: 'Export…' }).click();
    await pick(page, 'Hunt report (PDF)');
    const job = page.getByTestId('export-job');
    await expect.poll(() => job.textContent(), { timeout: 10_000 }).toContain('Printing the PDF…');
    expect(await job.getByRole('progressbar').count()).toBe(1);
    await shot(page, 'export-progress');
    await job.getByRole('button', { name: 'Cancel export' }).click();
    await expect.poll(() => job.textContent()).toContain('Cancelling…');
    // The print finishes only once the engine has taken the cancel, whatever the load on this machine.
    await expect.poll(() => phases, { timeout: 10_000 }).toContain('cancelling');
    release(Buffer.from('%PDF-1.7\n%%EOF\n'));
    await toast(page, 'Export cancelled; no file was written.');
    expect(await job.count()).toBe(0);
    expect(fs.readdirSync(saveDir)).toEqual([]);

    // Not cancelled, the same export writes the printed file.
    await page.getByRole('button', { name: 'Export…' }).click();
    await pick(page, 'Hunt report (PDF)');
    await expect.poll(() => printing, { timeout: 10_000 }).toBe(2);
    release(Buffer.from('%PDF-1.7\n%%EOF\n'));
    await toast(page, 'Saved ');
    expect(fs.readdirSync(saveDir)).toEqual(['Password-spray-from-one-address-run-1.pdf']);
    expect(await job.count()).toBe(0);
  });

  it('exports a report for a period from the Runs screen', async () => {
    const { page, saveDir, context } = await app.open({ seeded: true });
    await page.getByTestId('hunt-row').first().waitFor();
    await runFromLibrary(page, 'Password spray from one address');
    await runFromLibrary(page, 'Failed sign-ins');
    await page.getByRole('link', { name: 'Runs', exact: true }).first().click();
    await page.getByTestId('run-row').nth(1).waitFor();

    await page.getByRole('button', { name: 'Report for a period…' }).click();
    const dialog = page.getByRole('dialog', { name: 'Report for a period' });
    const today = new Date().toISOString().slice(0, 10);
    expect(await dialog.getByLabel('To').inputValue()).toBe(today);
    await dialog.getByLabel('From').fill('2026-02-01');
    await dialog.getByLabel('To').fill('2026-01-01');
    await dialog.getByRole('button', { name: 'Export…' }).click();
    await expect.poll(() => dialog.getByRole('alert').textContent()).toContain('the period must end on or after the day it starts');
    expect(fs.readdirSync(saveDir)).toEqual([]);

    await dialog.getByLabel('From').fill(today);
    await dialog.getByLabel('To').fill(today);
    expect(await dialog.getByRole('alert').count()).toBe(0);
    await shot(page, 'period-report');
    await dialog.getByRole('button', { name: 'Export…' }).click();
    await toast(page, 'Saved ');
    const file = path.join(saveDir, `quarry-report-${today}-to-${today}.html`);
    const report = await openReport(context.browser()!, file);
    try {
      expect(await report.page.locator('h1').innerText()).toBe('Threat hunting report');
      expect(await report.page.locator('body').innerText()).toContain('2 runs of 2 hunts started between');
      expect(await report.page.locator('#hunts td', { hasText: 'Failed sign-ins' }).count()).toBe(1);
      expect(await report.page.locator('#hunts td', { hasText: 'Password spray from one address' }).count()).toBe(1);
    } finally {
      await report.close();
    }
  });

  it('exports a finding’s indicators as STIX from its detail', async () => {
    const { page, bridge, saveDir } = await app.open({ sampleData: true });
    await page.getByTestId('hunt-row').first().waitFor();
    await runFromLibrary(page, 'Password spray against Entra ID from one address');
    const findings = (await createDispatcher(bridge.engine)('findings.list', {})) as Finding[];
    expect(findings).toHaveLength(1);

    await page.getByRole('link', { name: 'Findings', exact: true }).first().click();
    await page.getByTestId('finding-item').first().click();
    await page.getByRole('article').getByRole('button', { name: 'Export…' }).click();
    await shot(page, 'finding-export-menu');
    await pick(page, 'Indicators as STIX 2.1');
    await toast(page, '1 indicator)');
    const file = path.join(saveDir, `quarry-finding-${findings[0]!.id}.stix.json`);
    const bundle = JSON.parse(fs.readFileSync(file, 'utf8')) as { type: string; objects: Array<{ type: string; pattern?: string }> };
    expect(bundle.type).toBe('bundle');
    expect(bundle.objects.filter((o) => o.type === 'indicator').map((o) => o.pattern)).toEqual(["[ipv4-addr:value = '185.220.101.47']"]);
  });
});
