import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import type { Page } from 'playwright';
import { createDispatcher } from '../../engine/dispatch.js';
import type { LocalTableInfo } from '../../connectors/sources/local/local-db.js';
import { columnValues, runFromLibrary, shot, useApp } from './helpers.js';

const app = useApp();
/** Eight sign-ins: a spray from 203.0.113.7 (four accounts failing with 50126) and some ordinary ones. */
const FIXTURE = fileURLToPath(new URL('./fixtures/signin-logs.csv', import.meta.url));

/** Opens the default local connection's page and its "Import logs…" dialog. */
async function openImportDialog(page: Page): Promise<ReturnType<Page['getByRole']>> {
  await page.goto(page.url().replace(/#.*$/, '') + '#/connections');
  await page.locator('.detail').getByRole('button', { name: 'Import logs…' }).click();
  const dialog = page.getByRole('dialog', { name: 'Import logs' });
  await dialog.waitFor();
  return dialog;
}


const toast = (page: Page, text: string) => page.getByRole('status').filter({ hasText: text }).first().waitFor();

describe('importing logs in the app', () => {
  it('imports a CSV of sign-ins into the local connection, lists the table and hunts it with SQL', async () => {
    const { page, pickFile, bridge } = await app.open({ sampleData: false });
    const call = createDispatcher(bridge.engine);
    await page.goto(page.url().replace(/#.*$/, '') + '#/connections');
    // The empty state offers the import, and still names the CLI for scripts.
    const empty = page.getByTestId('local-tables-empty');
    await expect.poll(() => empty.innerText()).toContain('No logs imported yet');
    expect(await empty.innerText()).toContain('quarry logs import');
    await shot(page, 'logs-import-empty');

    const dialog = await openImportDialog(page);
    // Focus starts in the dialog, on the first thing to do.
    expect(await page.evaluate(() => document.activeElement?.textContent)).toContain('Choose file…');
    expect(await dialog.getByRole('button', { name: 'Import', exact: true }).isDisabled()).toBe(true);

    // Cancelling the shell's dialog changes nothing.
    pickFile(null);
    await dialog.getByRole('button', { name: 'Choose file…' }).click();
    expect(await dialog.getByText('No file chosen').count()).toBe(1);

    pickFile(FIXTURE);
    await dialog.getByRole('button', { name: 'Choose file…' }).click();
    await expect.poll(() => dialog.getByTestId('import-file-name').textContent()).toBe('signin-logs.csv');
    const calls = await page.evaluate(() => window.__quarryDesktopCalls.filter((c) => c.method === 'chooseOpenPath').map((c) => c.arg));
    expect(calls).toHaveLength(2);
    expect(calls[1]).toMatchObject({ title: 'Import logs', filters: [{ extensions: expect.arrayContaining(['csv', 'tsv', 'jsonl', 'json', 'gz']) }, { extensions: ['*'] }] });
    // The table name comes from the file name, made into one the importer takes; the format from its extension.
    expect(await dialog.getByLabel('Table name').inputValue()).toBe('signin_logs');
    expect(await dialog.getByLabel('Format').locator('option:checked').textContent()).toBe('Automatic: CSV');
    expect(await dialog.getByLabel('Delimiter').inputValue()).toBe(',');

    await dialog.getByLabel('Table name').fill('9 Signins');
    await expect.poll(() => dialog.locator('.field-error').textContent()).toContain('not starting with a digit');
    expect(await dialog.getByRole('button', { name: 'Import', exact: true }).isDisabled()).toBe(true);
    await dialog.getByLabel('Table name').fill('SigninLogs');
    await shot(page, 'logs-import-dialog');

    // Enter imports; the dialog closes, the table is listed with its rows and columns, and a toast says how many.
    await dialog.getByLabel('Table name').press('Enter');
    await dialog.waitFor({ state: 'detached' });
    await toast(page, 'Imported 8 rows into SigninLogs.');
    const row = page.getByTestId('local-table-row').filter({ hasText: 'SigninLogs' });
    await row.waitFor();
    const cells = await row.locator('td').allInnerTexts();
    expect(cells[1]).toBe('8');
    expect(await row.locator('.col').allTextContents()).toEqual(['TimeGenerated', 'UserPrincipalName', 'IPAddress', 'ResultType']);
    await shot(page, 'logs-import-listed');

    const tables = (await call('logs.tables', {})) as LocalTableInfo[];
    expect(tables).toMatchObject([{ name: 'SigninLogs', rowCount: 8, source: 'signin-logs.csv', columns: [{ name: 'TimeGenerated', type: 'datetime' }, {}, {}, { name: 'ResultType', type: 'long' }] }]);

    // The imported table is what a SQL hunt on the local connection reads.
    await call('hunts.save', {
      name: 'Spray against imported sign-ins',
      language: 'sql',
      connection: 'local',
      query: 'SELECT IPAddress, count(DISTINCT UserPrincipalName) AS Accounts FROM SigninLogs WHERE ResultType = 50126 GROUP BY IPAddress ORDER BY Accounts DESC',
    });
    await runFromLibrary(page, 'Spray against imported sign-ins');
    expect(await columnValues(page, 'IPAddress')).toEqual(['203.0.113.7', '198.51.100.23']);
    expect(await columnValues(page, 'Accounts')).toEqual(['4', '1']);
    await shot(page, 'logs-import-hunt');
  });

  it('shows the importer’s file:line error inline and keeps the form; says an existing table is appended to unless replaced', async () => {
    const { page, pickFile, bridge, dataDir } = await app.open({ sampleData: false });
    const call = createDispatcher(bridge.engine);
    await call('logs.import', { file: FIXTURE, table: 'SigninLogs' });
    const bad = path.join(dataDir, 'bad-signins.csv');
    fs.writeFileSync(bad, 'TimeGenerated,UserPrincipalName,IPAddress,ResultType\n2026-01-05T02:00:00Z,ana@contoso.com,203.0.113.7,50126\n2026-01-05T02:00:15Z,"bo@contoso.com,203.0.113.7\n');

    const dialog = await openImportDialog(page);
    pickFile(bad);
    await dialog.getByRole('button', { name: 'Choose file…' }).click();
    await dialog.getByLabel('Table name').fill('SigninLogs');
    // The importer appends to an existing table: the dialog says so before anything is written.
    await expect.poll(() => dialog.getByTestId('import-existing-note').textContent()).toMatch(/SigninLogs\s*exists \(8 rows\): the new rows are appended/);
    await dialog.getByLabel('Replace the table if it exists').check();
    await expect.poll(() => dialog.getByTestId('import-existing-note').textContent()).toMatch(/The 8 rows of\s*SigninLogs\s*are replaced, and kept if the import fails/);

    await dialog.getByRole('button', { name: 'Import', exact: true }).click();
    const error = dialog.getByTestId('import-logs-error');
    await expect.poll(() => error.textContent()).toBe(`${bad}:3: unterminated quoted field`);
    await shot(page, 'logs-import-error');
    // The form is kept as it was, focus is back in it, and the table the failed replace would have dropped is intact.
    expect(await dialog.getByLabel('Table name').inputValue()).toBe('SigninLogs');
    expect(await dialog.getByLabel('Replace the table if it exists').isChecked()).toBe(true);
    expect(await page.evaluate(() => (document.activeElement as HTMLInputElement | null)?.getAttribute('aria-label'))).toBe('Table name');
    expect(await call('logs.tables', {})).toMatchObject([{ name: 'SigninLogs', rowCount: 8 }]);

    // Without Replace the same file appends, and the toast says so.
    pickFile(FIXTURE);
    await dialog.getByRole('button', { name: 'Choose file…' }).click();
    await dialog.getByLabel('Replace the table if it exists').uncheck();
    expect(await dialog.getByLabel('Table name').inputValue()).toBe('SigninLogs');
    await dialog.getByRole('button', { name: 'Import', exact: true }).click();
    await dialog.waitFor({ state: 'detached' });
    await toast(page, 'Appended 8 rows to SigninLogs.');
    await expect.poll(() => page.getByTestId('local-table-row').locator('td').nth(1).textContent()).toBe('16');
  });

  it('shows rows imported while a large file streams in, and Esc cancels it leaving no table', async () => {
    const { page, pickFile, bridge, dataDir } = await app.open({ sampleData: false });
    const call = createDispatcher(bridge.engine);
    const big = path.join(dataDir, 'big-signins.csv');
    const out = fs.openSync(big, 'w');
    fs.writeSync(out, 'TimeGenerated,UserPrincipalName,IPAddress,ResultType,UserAgent\n');
    const start = Date.parse('2026-01-05T00:00:00Z');
    for (let block = 0; block < 100; block++) {
      const lines: string[] = [];
      for (let i = block * 6000; i < (block + 1) * 6000; i++) {
        lines.push(`${new Date(start + i * 250).toISOString()},user${i % 900}@contoso.com,10.${i % 7}.${i % 13}.${(i % 250) + 1},${i % 9 === 0 ? 50126 : 0},Mozilla/5.0 (Windows NT 10.0; Win64; x64) Edge/120.${i}`);
      }
      fs.writeSync(out, `${lines.join('\n')}\n`);
    }
    fs.closeSync(out);

    const dialog = await openImportDialog(page);
    pickFile(big);
    await dialog.getByRole('button', { name: 'Choose file…' }).click();
    await dialog.getByRole('button', { name: 'Import', exact: true }).click();
    const progress = dialog.getByTestId('import-progress');
    await expect.poll(() => progress.textContent(), { timeout: 20_000 }).toMatch(/[\d,]+ rows imported · \d+% of the file read/);
    // Esc at once: on a fast machine the rest of the file goes in within the time a screenshot takes.
    // Focus stays in the dialog (the fields are disabled meanwhile), so Esc reaches it and cancels.
    await page.keyboard.press('Escape');
    await expect.poll(() => dialog.getByTestId('import-notice').textContent(), { timeout: 20_000 }).toBe('Import cancelled: no table was created.');
    await shot(page, 'logs-import-cancelled');
    expect(await dialog.getByTestId('import-file-name').textContent()).toBe('big-signins.csv');
    expect(await call('logs.tables', {})).toEqual([]);

    await page.keyboard.press('Escape');
    await dialog.waitFor({ state: 'detached' });
    expect(await page.getByTestId('local-tables-empty').count()).toBe(1);
  });

  it('takes a semicolon delimiter for a CSV and an explicit format for a file whose name does not say it', async () => {
    const { page, pickFile, bridge, dataDir } = await app.open({ sampleData: false });
    const call = createDispatcher(bridge.engine);
    const semicolons = path.join(dataDir, 'firewall.csv');
    fs.writeFileSync(semicolons, 'ts;src;dst_port;action\n2026-01-05T02:00:00Z;203.0.113.7;3389;deny\n2026-01-05T02:00:01Z;203.0.113.7;445;deny\n');
    const jsonLines = path.join(dataDir, 'proxy-export.log');
    fs.writeFileSync(jsonLines, '{"time":"2026-01-05T02:00:00Z","url":"http://evil.example/a","bytes":512}\n{"time":"2026-01-05T02:00:05Z","url":"http://evil.example/b","bytes":2048}\n');

    let dialog = await openImportDialog(page);
    pickFile(semicolons);
    await dialog.getByRole('button', { name: 'Choose file…' }).click();
    await dialog.getByLabel('Delimiter').selectOption({ label: 'Semicolon (;)' });
    await dialog.getByRole('button', { name: 'Import', exact: true }).click();
    await toast(page, 'Imported 2 rows into firewall.');

    dialog = await openImportDialog(page);
    pickFile(jsonLines);
    await dialog.getByRole('button', { name: 'Choose file…' }).click();
    expect(await dialog.getByLabel('Table name').inputValue()).toBe('proxy_export');
    await dialog.getByLabel('Format').selectOption({ label: 'JSON Lines' });
    // A delimiter means nothing to JSON: the field goes away.
    expect(await dialog.getByLabel('Delimiter').count()).toBe(0);
    await dialog.getByLabel('Table name').press('Enter');
    await toast(page, 'Imported 2 rows into proxy_export.');

    const tables = (await call('logs.tables', {})) as LocalTableInfo[];
    expect(tables.map((t) => [t.name, t.rowCount, t.columns.map((c) => `${c.name}:${c.type}`)])).toEqual([
      ['firewall', 2, ['ts:datetime', 'src:string', 'dst_port:long', 'action:string']],
      ['proxy_export', 2, ['time:datetime', 'url:string', 'bytes:long']],
    ]);
  });
});
