import { describe, expect, it } from 'vitest';
import { createDispatcher } from '../../engine/dispatch.js';
import type { Hunt, Run } from '../../engine/types.js';
import { columnValues, runFromLibrary, shot, useApp } from './helpers.js';

const app = useApp();

describe('running a hunt', () => {
  it('shows the rows in a virtualised grid and their times as bars on the timeline', async () => {
    const { page, bridge } = await app.open({ seeded: true });
    await page.getByTestId('hunt-row').first().waitFor();
    await runFromLibrary(page, 'All sign-ins');
    const run = ((await createDispatcher(bridge.engine)('runs.list', {})) as Run[])[0]!;
    expect(run.rowCount).toBe(3240);
    await expect.poll(() => page.getByTestId('grid-count').textContent()).toContain('3,240');
    expect(await page.getByTestId('run-status').textContent()).toBe('succeeded');

    // Virtualised: a few dozen of the 3,240 rows are in the DOM, and the first ones are the first stored rows.
    const domRows = await page.locator('[data-testid=results-grid] [data-row-index]').count();
    expect(domRows).toBeGreaterThan(10);
    expect(domRows).toBeLessThan(80);
    expect((await columnValues(page, 'TimeGenerated'))[0]).toBe('2026-01-05T00:00:00.000Z');

    // The timeline's bars add up to every row with a time, and the spray hour stands out.
    const bars = page.locator('[data-testid=timeline] rect.bar');
    await bars.first().waitFor();
    const counts = (await bars.evaluateAll((rects) => rects.map((r) => Number(r.getAttribute('data-count')))));
    expect(counts.reduce((a, b) => a + b, 0)).toBe(3240);
    expect(Math.max(...counts)).toBeGreaterThan(2 * (counts.sort((a, b) => a - b)[Math.floor(counts.length / 2)] ?? 0));
    await shot(page, 'run');

    // Scrolling to the bottom brings the last row into the DOM.
    await page.getByTestId('results-grid').evaluate((el) => (el.scrollTop = el.scrollHeight));
    await expect.poll(() => page.locator('[data-testid=results-grid] [data-row-index="3239"]').count()).toBe(1);
    expect(await page.locator('[data-testid=results-grid] [data-row-index]').count()).toBeLessThan(80);
  });

  it('draws a result of one moment as one narrow bar among readable, distinct axis labels', async () => {
    const { page } = await app.open({ seeded: true });
    await page.getByTestId('hunt-row').first().waitFor();
    await runFromLibrary(page, 'Password spray from one address');
    const bar = page.locator('[data-testid=timeline] rect.bar');
    await bar.waitFor();
    expect(await bar.count()).toBe(1);
    const chart = (await page.locator('[data-testid=timeline] svg').boundingBox())!;
    const box = (await bar.boundingBox())!;
    expect(box.width).toBeLessThan(chart.width / 10);
    expect(box.x - chart.x).toBeGreaterThan(chart.width / 3);
    const ticks = await page.locator('[data-testid=timeline] text.tick').allTextContents();
    expect(ticks.length).toBeGreaterThan(1);
    expect(new Set(ticks).size).toBe(ticks.length);
    expect(await page.getByTestId('timeline').textContent()).toContain('peak 1 row /');
    await bar.click();
    await expect.poll(() => page.getByTestId('filter-chip').count()).toBe(2);
    await expect.poll(() => page.getByTestId('grid-count').textContent()).toContain('1 of 1 rows');
  });

  it('sorts by a column, and clicking a timeline bar narrows the grid to that time', async () => {
    const { page } = await app.open({ seeded: true });
    await page.getByTestId('hunt-row').first().waitFor();
    await runFromLibrary(page, 'All sign-ins');
    await page.getByRole('columnheader', { name: /UserPrincipalName/ }).getByRole('button').click();
    await expect.poll(async () => (await columnValues(page, 'UserPrincipalName'))[0]).toBe('user0@contoso.com');
    await page.getByRole('columnheader', { name: /UserPrincipalName/ }).getByRole('button').click();
    await expect.poll(async () => (await columnValues(page, 'UserPrincipalName'))[0]).toBe('user9@contoso.com'); // text order: '@' sorts after '9'
    expect(await page.getByRole('columnheader', { name: /UserPrincipalName/ }).getAttribute('aria-sort')).toBe('descending');

    const tallest = await page.locator('[data-testid=timeline] rect.bar').evaluateAll((rects) => {
      const counts = rects.map((r) => Number(r.getAttribute('data-count')));
      return counts.indexOf(Math.max(...counts));
    });
    const bar = page.locator('[data-testid=timeline] rect.bar').nth(tallest);
    const expected = Number(await bar.getAttribute('data-count'));
    await bar.click();
    await expect.poll(() => page.getByTestId('filter-chip').count()).toBe(2);
    await expect.poll(() => page.getByTestId('grid-count').textContent()).toContain(`${expected} of 3,240 rows`);
    for (const t of await columnValues(page, 'TimeGenerated')) expect(t.startsWith('2026-01-05T02:')).toBe(true);
  });

  it('pivots on a value: filter, exclude, and a new hunt for it', async () => {
    const { page, bridge } = await app.open({ seeded: true });
    await page.getByTestId('hunt-row').first().waitFor();
    await runFromLibrary(page, 'Failed sign-ins');
    const spray = page.locator('[data-testid=results-grid] [role=gridcell]', { hasText: /^203\.0\.113\.7$/ }).first();
    await page.getByTestId('results-grid').evaluate((el) => (el.scrollTop = el.scrollHeight));
    await spray.waitFor();

    await spray.click({ button: 'right' });
    await shot(page, 'run-pivot-menu');
    await page.getByRole('menuitem', { name: /^Filter: IPAddress = 203\.0\.113\.7/ }).click();
    await expect.poll(() => page.getByTestId('grid-count').textContent()).toContain('240 of');
    expect(new Set(await columnValues(page, 'IPAddress'))).toEqual(new Set(['203.0.113.7']));

    await page.getByRole('button', { name: 'Remove filter on IPAddress' }).click();
    await page.getByTestId('results-grid').evaluate((el) => (el.scrollTop = el.scrollHeight));
    await spray.click({ button: 'right' });
    await page.getByRole('menuitem', { name: /^Exclude: IPAddress/ }).click();
    const failed = ((await createDispatcher(bridge.engine)('runs.list', {})) as Run[])[0]!.rowCount;
    await expect.poll(() => page.getByTestId('grid-count').textContent()).toContain(`${(failed - 240).toLocaleString('en-US')} of`);
    await page.getByRole('button', { name: 'Clear all' }).click();

    await page.getByTestId('results-grid').evaluate((el) => (el.scrollTop = el.scrollHeight));
    await spray.click({ button: 'right' });
    await page.getByRole('menuitem', { name: 'New hunt for this value' }).click();
    await expect.poll(() => page.getByLabel('Hunt name').inputValue()).toBe('Pivot: IPAddress = 203.0.113.7');
    const pivot = (await createDispatcher(bridge.engine)('hunts.get', { hunt: 'Pivot: IPAddress = 203.0.113.7' })) as Hunt;
    expect(pivot.parameters).toEqual([expect.objectContaining({ name: 'pivotValue', type: 'string', default: '203.0.113.7' })]);
    expect(pivot.query).not.toContain('203.0.113.7'); // bound as a parameter, never pasted into the SQL
    await shot(page, 'editor-pivot');

    await page.keyboard.press('Control+Enter');
    await page.locator('[data-testid=results-grid] [data-row-index]').first().waitFor();
    await expect.poll(() => page.getByTestId('grid-count').textContent()).toContain('240');
    expect(new Set(await columnValues(page, 'IPAddress'))).toEqual(new Set(['203.0.113.7']));
  });

  it('copies a cell with Ctrl+C, its row with Ctrl+Shift+C, and hides a column', async () => {
    const { page, context, bridge } = await app.open({ seeded: true });
    await context.grantPermissions(['clipboard-read', 'clipboard-write']);
    await page.getByTestId('hunt-row').first().waitFor();
    await runFromLibrary(page, 'All sign-ins');
    await page.locator('[data-testid=results-grid] [data-row-index="0"] [role=gridcell]').nth(1).click();
    await page.keyboard.press('Control+c');
    expect(await page.evaluate(() => navigator.clipboard.readText())).toBe('user0@contoso.com');
    await page.keyboard.press('Control+Shift+C');
    const call = createDispatcher(bridge.engine);
    const first = ((await call('runs.rows', { runId: ((await call('runs.list', {})) as Run[])[0]!.id, limit: 1 })) as { rows: unknown[][] }).rows[0]!;
    expect(await page.evaluate(() => navigator.clipboard.readText())).toBe(first.map(String).join('\t'));
    expect(first).toHaveLength(6);

    await page.getByRole('button', { name: /Columns 6\/6/ }).click();
    await page.getByRole('menu').getByText('AppDisplayName').click();
    await expect.poll(() => page.locator('[data-testid=results-grid] [role=columnheader] .hname').allTextContents()).toEqual([
      'TimeGenerated', 'UserPrincipalName', 'IPAddress', 'ResultType', 'Location',
    ]);
  });

  it('shows progress while a long query runs and cancels it', async () => {
    const { page, bridge } = await app.open({ sampleData: false });
    const call = createDispatcher(bridge.engine);
    await call('hunts.save', {
      name: 'Slow counter',
      language: 'sql',
      connection: 'local',
      query: 'WITH RECURSIVE c(x) AS (SELECT 1 UNION ALL SELECT x + 1 FROM c WHERE x < 200000000) SELECT x, x * 2 AS y FROM c',
    });
    await page.reload();
    await page.getByRole('button', { name: 'Run Slow counter' }).click();
    await expect.poll(async () => Number((await page.getByTestId('run-rows').textContent())?.replace(/,/g, '')), { timeout: 20_000 }).toBeGreaterThan(0);
    expect(await page.getByTestId('run-status').textContent()).toBe('running');
    await shot(page, 'run-progress');
    await page.getByRole('button', { name: 'Cancel run' }).click();
    await expect.poll(() => page.getByTestId('run-status').textContent(), { timeout: 20_000 }).toBe('cancelled');
    const run = ((await call('runs.list', {})) as Run[])[0]!;
    expect(run.status).toBe('cancelled');
  });
});
