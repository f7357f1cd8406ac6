import { describe, expect, it } from 'vitest';
import { runFromLibrary, shot, useApp } from './helpers.js';

const app = useApp();

describe('the other screens', () => {
  it('lists runs, reopens one without querying again, and says what to do when there are none', async () => {
    const { page } = await app.open({ seeded: true });
    await page.goto(page.url().replace(/#.*$/, '') + '#/runs');
    await expect.poll(() => page.getByTestId('empty-state').textContent()).toContain('No runs yet');
    await runFromLibrary(page, 'Password spray from one address');
    await page.getByRole('link', { name: 'Runs', exact: true }).first().click();
    await page.getByTestId('run-row').first().waitFor();
    await shot(page, 'runs');
    await page.getByTestId('run-row').first().click();
    await expect.poll(() => page.getByTestId('grid-count').textContent()).toContain('1 rows');
  });

  it('shows connections with their imported tables', async () => {
    const { page } = await app.open({ seeded: true });
    await page.goto(page.url().replace(/#.*$/, '') + '#/connections');
    await page.getByTestId('connection-item').first().waitFor();
    expect(await page.getByTestId('connection-item').allTextContents()).toEqual([expect.stringContaining('local')]);
    await expect.poll(() => page.getByRole('cell', { name: 'SigninLogs' }).count()).toBe(1);
    expect(await page.getByRole('cell', { name: '3,240' }).count()).toBe(1);
    await shot(page, 'connections');
  });

  it('shows findings, schedules and deliveries, each empty at first with what to do next', async () => {
    const { page } = await app.open({ seeded: true });
    for (const [screen, title] of [
      ['findings', 'No findings yet'],
      ['schedules', 'No scheduled hunts yet'],
      ['deliveries', 'Nothing delivered yet'],
    ] as const) {
      await page.goto(page.url().replace(/#.*$/, '') + `#/${screen}`);
      await page.locator('main h1').waitFor();
      const empty = page.getByTestId('empty-state');
      await expect.poll(() => empty.textContent()).toContain(title);
      // Each says what to do next, in more words than its title.
      expect((await empty.innerText()).replace(title, '').trim().length).toBeGreaterThan(40);
      await shot(page, screen);
    }
  });

  it('switches to the light theme and remembers it', async () => {
    const { page } = await app.open({ seeded: true });
    await page.goto(page.url().replace(/#.*$/, '') + '#/settings');
    await page.getByTestId('data-dir').waitFor();
    await shot(page, 'settings');
    const darkBg = await page.evaluate(() => getComputedStyle(document.documentElement).backgroundColor);
    await page.getByRole('radio', { name: 'Light' }).click();
    expect(await page.evaluate(() => document.documentElement.dataset.theme)).toBe('light');
    expect(await page.evaluate(() => getComputedStyle(document.documentElement).backgroundColor)).not.toBe(darkBg);
    expect(await page.evaluate(() => window.__quarryDesktopCalls)).toContainEqual({ method: 'setTheme', arg: 'light' });
    await runFromLibrary(page, 'All sign-ins');
    await page.locator('[data-testid=timeline] rect.bar').first().waitFor();
    await shot(page, 'run-light');
    await page.reload();
    expect(await page.evaluate(() => document.documentElement.dataset.theme)).toBe('light');
  });
});
