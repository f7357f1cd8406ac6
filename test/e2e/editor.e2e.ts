import { describe, expect, it } from 'vitest';
import { createDispatcher } from '../../engine/dispatch.js';
import type { Hunt, Run } from '../../engine/types.js';
import { columnValues, shot, useApp } from './helpers.js';

const app = useApp();

describe('the hunt editor', () => {
  it('creates a hunt with a parameter and runs it with Ctrl+Enter', async () => {
    const { page, bridge } = await app.open({ seeded: true });
    await page.getByTestId('hunt-row').first().waitFor();
    await page.getByRole('button', { name: 'New hunt' }).click();
    await page.getByLabel('Hunt name').fill('Accounts failing from one address');
    const editor = page.getByTestId('query-editor');
    await editor.click();
    await page.keyboard.insertText("SELECT IPAddress, count(*) AS Failures FROM SigninLogs WHERE ResultType = 50126 AND IPAddress = @ip GROUP BY IPAddress");
    await page.getByRole('button', { name: 'Add parameter' }).click();
    await page.getByLabel('Parameter name').fill('ip');
    await page.getByLabel('Default value').fill('203.0.113.7');
    await page.getByRole('button', { name: 'Credential Access' }).click();
    await page.getByPlaceholder('T1110.003, T1078').fill('t1110.003');
    await page.getByPlaceholder('T1110.003, T1078').blur();
    await shot(page, 'editor');
    await page.keyboard.press('Control+Enter');
    await page.locator('[data-testid=results-grid] [data-row-index]').first().waitFor();

    expect(await columnValues(page, 'Failures')).toEqual(['240']);
    const call = createDispatcher(bridge.engine);
    const hunt = (await call('hunts.get', { hunt: 'Accounts failing from one address' })) as Hunt;
    expect(hunt).toMatchObject({
      language: 'sql',
      connection: 'local',
      tactics: ['CredentialAccess'],
      techniques: ['T1110.003'],
      parameters: [{ name: 'ip', type: 'string', default: '203.0.113.7' }],
    });
    const run = ((await call('runs.list', {})) as Run[])[0]!;
    expect(run).toMatchObject({ huntId: hunt.id, status: 'succeeded', rowCount: 1, parameters: { ip: '203.0.113.7' } });
  });

  it('highlights KQL and T-SQL in CodeMirror', async () => {
    const { page } = await app.open({ sampleData: false });
    await page.goto(page.url().replace(/#.*$/, '') + '#/hunts/new');
    await page.getByLabel('Language').selectOption('kql');
    await page.getByTestId('query-editor').click();
    await page.keyboard.insertText('SigninLogs\n| where ResultType == "50126" // failed\n| summarize count() by IPAddress');
    await expect.poll(() => page.locator('.query[data-editor]').getAttribute('data-editor')).toBe('codemirror');
    const styled = async (text: string): Promise<string> =>
      page.locator('.cm-content span', { hasText: text }).first().evaluate((el) => getComputedStyle(el).color);
    const plain = await page.locator('.cm-content').evaluate((el) => getComputedStyle(el).color);
    expect(await styled('where')).not.toBe(plain);
    expect(await styled('"50126"')).not.toBe(plain);
    expect(await styled('// failed')).not.toBe(await styled('"50126"'));
    await shot(page, 'editor-kql');

    await page.getByLabel('Language').selectOption('tsql');
    await page.getByTestId('query-editor').click();
    await page.keyboard.press('Control+a');
    await page.keyboard.insertText('SELECT TOP 10 [Account] FROM dbo.SecurityEvent WHERE EventID = 4625');
    expect(await styled('SELECT')).not.toBe(plain);
  });

  it('reports a hunt that fails validation and keeps the draft', async () => {
    const { page } = await app.open({ sampleData: false });
    await page.goto(page.url().replace(/#.*$/, '') + '#/hunts/new');
    await page.getByLabel('Hunt name').fill('No query yet');
    await page.getByRole('button', { name: 'Save', exact: true }).click();
    await expect.poll(() => page.getByRole('alert').first().textContent()).toContain('a hunt needs a query');
    expect(await page.getByLabel('Hunt name').inputValue()).toBe('No query yet');
  });

  it('creates a hunt, schedules it every hour from the editor, and lists it on the Schedules screen', async () => {
    const { page, bridge } = await app.open({ seeded: true });
    await page.getByTestId('hunt-row').first().waitFor();
    await page.getByRole('button', { name: 'New hunt' }).click();
    await page.getByLabel('Hunt name').fill('Hourly failed sign-ins');
    await page.getByTestId('query-editor').click();
    await page.keyboard.insertText('SELECT TimeGenerated, UserPrincipalName, IPAddress FROM SigninLogs WHERE ResultType = 50126');
    const panel = page.getByRole('region', { name: 'Schedule' });
    await expect.poll(() => panel.textContent()).toContain('Save the hunt first');

    await page.getByRole('button', { name: 'Save', exact: true }).click();
    await panel.getByRole('radio', { name: 'Interval' }).click();
    await panel.getByLabel('Run every').fill('1h');
    const before = Date.now();
    await panel.getByRole('button', { name: 'Schedule', exact: true }).click();
    await expect.poll(() => panel.getByTestId('schedule-summary').textContent()).toContain('every 1h');
    await shot(page, 'editor-schedule');

    const call = createDispatcher(bridge.engine);
    const hunt = (await call('hunts.get', { hunt: 'Hourly failed sign-ins' })) as Hunt;
    const schedules = (await call('schedules.list', {})) as Array<{ huntId: string; every: string | null; paused: boolean; nextRunAt: string | null }>;
    expect(schedules).toEqual([expect.objectContaining({ huntId: hunt.id, paused: false })]);
    // Due from when it was scheduled (a new schedule's first run covers its lookback) to an hour later, never in the past.
    const next = Date.parse(schedules[0]!.nextRunAt!);
    expect(next).toBeGreaterThanOrEqual(before);
    expect(next).toBeLessThanOrEqual(Date.now() + 3_600_000);

    await page.getByRole('link', { name: 'Schedules', exact: true }).first().click();
    const row = page.getByTestId('schedule-row');
    await expect.poll(() => row.count()).toBe(1);
    expect(await row.textContent()).toContain('Hourly failed sign-ins');
    expect(await row.textContent()).toContain('every 1h');
  });
});
