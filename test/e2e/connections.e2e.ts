import { afterEach, describe, expect, it } from 'vitest';
import type { Page } from 'playwright';
import { createDispatcher } from '../../engine/dispatch.js';
import { TdsTestServer } from '../integration/fakes/tds/index.js';
import { TENANT, WORKSPACE, startAzureFakes, type AzureFakes } from '../integration/fakes/log-analytics/index.js';
import { createLogAnalyticsSource } from '../../connectors/sources/log-analytics/log-analytics-source.js';
import type { SignInEvent } from '../../connectors/sources/types.js';
import { shot, useApp } from './helpers.js';

const app = useApp();
const USER = 'hunter';
/** Distinctive, so finding it anywhere in the page means it leaked. */
const PASSWORD = 'Pw-e2e-4b7d91c3-sekret';
const WRONG = 'Wrong-e2e-0a1b2c3d-pass';
const servers: Array<TdsTestServer | AzureFakes> = [];
afterEach(async () => {
  for (const s of servers.splice(0)) await s.close();
});

/** The page's markup and every input's live value (a typed password is a property, not an attribute). */
async function pageText(page: Page): Promise<string> {
  const values = await page.$$eval('input, textarea', (els) => els.map((e) => (e as HTMLInputElement).value));
  return `${await page.content()}\n${values.join('\n')}`;
}

describe('connections in the app', () => {
  it('adds a SQL Server connection, tests it, and keeps its password write-only until it is removed with its keychain entries', async () => {
    const tds = await TdsTestServer.start({ logins: { [USER]: PASSWORD }, databases: ['hunting', 'master'] });
    servers.push(tds);
    const { page, bridge } = await app.open();
    const call = createDispatcher(bridge.engine);
    await page.goto(page.url().replace(/#.*$/, '') + '#/connections');

    // A new user is told what to add and where secrets go.
    await expect.poll(() => page.getByTestId('connections-guide').innerText()).toContain('OS keychain');

    await page.getByRole('button', { name: 'Add connection' }).first().click();
    const dialog = page.getByRole('dialog', { name: 'Add a connection' });
    await dialog.getByText('SQL Server', { exact: true }).click();
    // Only the chosen sign-in method's fields: a SQL login has no domain or tenant.
    expect(await dialog.getByLabel('Domain', { exact: true }).count()).toBe(0);
    expect(await dialog.getByLabel('Tenant', { exact: true }).count()).toBe(0);
    await dialog.getByLabel('Connection name').fill('onprem-sql');
    await dialog.getByLabel('Server', { exact: true }).fill(tds.host);
    await dialog.getByLabel('Port', { exact: true }).fill('not-a-port');
    await dialog.getByLabel('Database', { exact: true }).fill('hunting');
    await dialog.getByLabel('Encrypt (TLS)').uncheck();
    await dialog.getByLabel('Login', { exact: true }).fill(USER);
    await dialog.getByLabel('Password', { exact: true }).fill(PASSWORD);
    expect(await pageText(page), 'pageText sees what is typed, so its later absence means something').toContain(PASSWORD);
    await shot(page, 'connections-add');

    // The engine refuses the port; its message sits next to the field, and the password was not kept in the page.
    await dialog.getByLabel('Password', { exact: true }).press('Enter');
    await expect.poll(() => dialog.getByTestId('add-connection-error').textContent()).toContain('port');
    expect(await dialog.locator('label', { has: page.getByLabel('Port', { exact: true }) }).textContent()).toContain('Expected number');
    expect(await dialog.getByLabel('Password', { exact: true }).inputValue()).toBe('');
    await shot(page, 'connections-add-error');
    expect(await call('connections.list', {})).toHaveLength(1);

    await dialog.getByLabel('Port', { exact: true }).fill(String(tds.port));
    await dialog.getByLabel('Password', { exact: true }).fill(PASSWORD);
    await dialog.getByLabel('Password', { exact: true }).press('Enter');
    await dialog.waitFor({ state: 'detached' });

    const item = page.getByTestId('connection-item').filter({ hasText: 'onprem-sql' });
    await item.waitFor();
    await expect.poll(() => item.getAttribute('class')).toContain('on');
    expect(await page.getByTestId('connections-guide').count()).toBe(0);

    await page.getByTestId('test-connection').click();
    const result = page.getByTestId('connection-test-result');
    await expect.poll(() => result.getAttribute('data-status'), { timeout: 20_000 }).toBe('ok');
    const detail = await result.textContent();
    expect(detail).toContain('Microsoft SQL Server 2022');
    expect(detail).toContain('signed in as SQL login hunter');
    expect(detail).toMatch(/Connected\s*in \d/);
    await shot(page, 'connections-detail');

    const stored = (await call('connections.get', { connection: 'onprem-sql' })) as { id: string; settings: Record<string, unknown>; secrets: unknown[] };
    expect(stored.secrets).toEqual([
      { field: 'password', set: true, required: true },
      { field: 'clientSecret', set: false, required: false },
    ]);
    expect(stored.settings).toMatchObject({ server: tds.host, port: tds.port, database: 'hunting', encrypt: false, authentication: 'sql', user: USER });
    expect(JSON.stringify(stored)).not.toContain(PASSWORD);
    expect(await bridge.engine.secrets.get(`${stored.id}:password`)).toBe(PASSWORD);
    expect(await pageText(page)).not.toContain(PASSWORD);

    // Replace it with a wrong one: the test fails with the server's reason, and neither password shows.
    const password = page.getByTestId('secret-field').filter({ hasText: 'Password' });
    await password.getByRole('button', { name: 'Replace' }).click();
    await password.getByLabel('Password').fill(WRONG);
    await password.getByRole('button', { name: 'Replace' }).click();
    await expect.poll(() => bridge.engine.secrets.get(`${stored.id}:password`)).toBe(WRONG);
    await page.getByTestId('test-connection').click();
    await expect.poll(() => result.getAttribute('data-status'), { timeout: 20_000 }).toBe('error');
    expect(await result.textContent()).toContain('onprem-sql');
    expect(await result.textContent()).toMatch(/login failed/i);
    const text = await pageText(page);
    expect(text).not.toContain(PASSWORD);
    expect(text).not.toContain(WRONG);

    // Clear it: the page says the connection needs one, and the test waits for it.
    await password.getByRole('button', { name: 'Clear' }).click();
    await expect.poll(() => password.getByTestId('secret-status').textContent()).toContain('Required · not set');
    expect(await page.getByTestId('test-connection').isDisabled()).toBe(true);
    await expect.poll(() => item.textContent()).toContain('secret missing');
    expect(await bridge.engine.secrets.get(`${stored.id}:password`)).toBeNull();
    expect(((await call('connections.get', { connection: 'onprem-sql' })) as { secrets: Array<{ set: boolean }> }).secrets[0]!.set).toBe(false);

    // Set it again, then remove the connection: the confirmation says its keychain entries go too.
    await password.getByLabel('Password').fill(PASSWORD);
    await password.getByLabel('Password').press('Enter');
    await expect.poll(() => bridge.engine.secrets.get(`${stored.id}:password`)).toBe(PASSWORD);
    await page.getByRole('button', { name: 'Remove', exact: true }).click();
    const confirm = page.getByRole('dialog', { name: 'Remove connection' });
    expect(await confirm.textContent()).toContain('keychain entries');
    await shot(page, 'connections-remove');
    await confirm.getByRole('button', { name: 'Remove and delete keychain entries' }).click();
    await confirm.waitFor({ state: 'detached' });
    await expect.poll(() => page.getByTestId('connection-item').allTextContents()).toEqual([expect.stringContaining('local')]);
    expect(((await call('connections.list', {})) as Array<{ name: string }>).map((c) => c.name)).toEqual(['local']);
    expect(await bridge.engine.secrets.accounts(`${stored.id}:`)).toEqual([]);
    expect(await pageText(page)).not.toContain(PASSWORD);
  });

  it('shows the sign-in fields of the chosen Log Analytics method, keeps endpoints under Advanced, and closes on Esc', async () => {
    const { page, bridge } = await app.open();
    await page.goto(page.url().replace(/#.*$/, '') + '#/connections');
    await page.getByRole('button', { name: 'Add connection' }).first().click();
    const dialog = page.getByRole('dialog', { name: 'Add a connection' });
    await dialog.getByText('Azure Log Analytics', { exact: true }).click();
    expect(await dialog.getByLabel('Client secret').count()).toBe(1);
    expect(await dialog.getByLabel('Query endpoint').isVisible()).toBe(false);
    await dialog.getByText('Advanced').click();
    expect(await dialog.getByLabel('Query endpoint').isVisible()).toBe(true);
    expect(await dialog.getByLabel('Authority host').isVisible()).toBe(true);

    await dialog.getByLabel('Sign-in method').selectOption('device-code');
    expect(await dialog.getByLabel('Client secret').count()).toBe(0);
    await dialog.getByLabel('Connection name').fill('sentinel');
    await dialog.getByLabel('Workspace id').fill('11111111-2222-3333-4444-555555555555');
    await dialog.getByLabel('Tenant', { exact: true }).fill('contoso.onmicrosoft.com');
    await dialog.getByLabel('Query endpoint').fill('http://plain.example');
    await dialog.getByText('Advanced').click();
    expect(await dialog.getByLabel('Query endpoint').isVisible()).toBe(false);
    await dialog.getByLabel('Workspace id').press('Enter');
    // Missing client id and a non-TLS endpoint: the engine names both next to their fields.
    const fieldOf = (label: string) => dialog.locator('label', { has: page.getByLabel(label, { exact: true }) });
    await expect.poll(() => dialog.locator('.field-error').count()).toBe(2);
    expect(await fieldOf('Application (client) id').textContent()).toContain('Required');
    // The refused endpoint is under Advanced, which opens to show it.
    expect(await dialog.getByLabel('Query endpoint').isVisible()).toBe(true);
    expect(await fieldOf('Query endpoint').textContent()).toContain('https://');
    expect(await createDispatcher(bridge.engine)('connections.list', {})).toHaveLength(1);

    await dialog.getByLabel('Connection name').press('Escape');
    await dialog.waitFor({ state: 'detached' });
  });

  it('adds a local log store that starts empty, and removes it without touching the keychain', async () => {
    const { page, bridge } = await app.open();
    await page.goto(page.url().replace(/#.*$/, '') + '#/connections');
    await page.getByRole('button', { name: 'Add connection' }).first().click();
    const dialog = page.getByRole('dialog', { name: 'Add a connection' });
    await dialog.getByText('Local logs', { exact: true }).click();
    await dialog.getByLabel('Connection name').fill('case-4711');
    await dialog.getByRole('button', { name: 'Add connection' }).click();
    await dialog.waitFor({ state: 'detached' });
    await expect.poll(() => page.locator('.detail').innerText()).toContain('No logs imported yet');
    expect(await page.locator('.detail').innerText()).toContain('--connection case-4711');
    expect(await page.getByTestId('test-connection').count()).toBe(0);

    await page.getByRole('button', { name: 'Remove', exact: true }).click();
    const confirm = page.getByRole('dialog', { name: 'Remove connection' });
    expect(await confirm.textContent()).toContain('keeps no secrets');
    await confirm.getByRole('button', { name: /^Remove/ }).click();
    await expect.poll(() => page.getByTestId('connection-item').count()).toBe(1);
    expect(await createDispatcher(bridge.engine)('connections.list', {})).toHaveLength(1);
  });

  it('signs in with a device code shown in the app, cancels a test that waits on it, and edits the settings without touching secrets', async () => {
    const fakes = await startAzureFakes();
    servers.push(fakes);
    // Never entered: the Entra fake keeps answering "authorization pending".
    const stuck = 'aaaaaaaa-2222-4000-8000-000000000001';
    const quick = 'aaaaaaaa-2222-4000-8000-000000000002';
    fakes.entra.addPublicClient(TENANT, stuck, 'ana@contoso.com', 1_000_000);
    fakes.entra.addPublicClient(TENANT, quick, 'ana@contoso.com', 1);
    fakes.logs.grant('ana@contoso.com', [WORKSPACE]);
    const { page, bridge } = await app.open({ engine: { sources: { 'log-analytics': (c, ctx) => createLogAnalyticsSource(c, ctx, { agent: fakes.agent }) } } });
    const call = createDispatcher(bridge.engine);
    const signIns: SignInEvent[] = [];
    bridge.engine.events.on('connection.signIn', (e: SignInEvent) => signIns.push(e));
    await call('connections.add', { kind: 'log-analytics', name: 'sentinel-me', settings: fakes.settings({ auth: 'device-code', clientId: stuck }) });
    await page.goto(page.url().replace(/#.*$/, '') + '#/connections');
    await page.getByTestId('connection-item').filter({ hasText: 'sentinel-me' }).click();
    await page.evaluate(() => {
      // Reads what the Copy button puts on the clipboard (the page may not read the clipboard itself).
      window.addEventListener('copy', (e) => ((window as unknown as { copied: string }).copied = e.clipboardData?.getData('text/plain') ?? ''));
    });

    // The test waits on the sign-in: the app shows the code and the page to enter it on.
    await page.getByTestId('test-connection').click();
    const prompt = page.getByRole('dialog', { name: 'Sign in for sentinel-me' });
    await prompt.waitFor();
    const waiting = signIns.find((e) => e.state === 'waiting')!;
    if (waiting.state !== 'waiting') throw new Error('no device code was sent');
    expect(await prompt.getByTestId('sign-in-code').textContent()).toBe(waiting.userCode);
    await prompt.getByTestId('sign-in-copy').click();
    expect(await page.evaluate(() => (window as unknown as { copied?: string }).copied)).toBe(waiting.userCode);
    await prompt.getByTestId('sign-in-open').click();
    await expect.poll(() => page.evaluate(() => window.__quarryDesktopCalls)).toContainEqual({ method: 'openLink', arg: `${fakes.entra.url}/devicelogin` });
    await shot(page, 'connections-device-code');

    // Hidden, the sign-in goes on, and a button in the corner brings the code back.
    await prompt.getByRole('button', { name: 'Hide' }).click();
    await prompt.waitFor({ state: 'detached' });
    const reopen = page.getByTestId('sign-in-reopen');
    expect(await reopen.textContent()).toContain('Sign in for sentinel-me');
    await reopen.click();
    expect(await prompt.getByTestId('sign-in-code').textContent()).toBe(waiting.userCode);
    await prompt.getByRole('button', { name: 'Hide' }).click();
    await prompt.waitFor({ state: 'detached' });

    // Cancel stops the test, and with it the sign-in: the corner button goes too.
    const result = page.getByTestId('connection-test-result');
    expect(await result.getAttribute('data-status')).toBe('testing');
    await page.getByTestId('cancel-connection-test').click();
    await expect.poll(() => result.getAttribute('data-status'), { timeout: 20_000 }).toBe('cancelled');
    expect(await result.textContent()).toContain('Test cancelled');
    expect(signIns.at(-1)).toEqual({ state: 'finished', connection: 'sentinel-me', signedIn: false });
    await reopen.waitFor({ state: 'detached' });

    // Edit: another application id; the hunter signs in this time, and the dialog goes by itself.
    await page.getByTestId('edit-connection').click();
    const edit = page.getByRole('dialog', { name: 'Edit sentinel-me' });
    expect(await edit.getByLabel('Workspace id').inputValue()).toBe(WORKSPACE);
    await edit.getByLabel('Application (client) id').fill(quick);
    await edit.getByRole('button', { name: 'Save settings' }).click();
    await edit.waitFor({ state: 'detached' });
    expect(((await call('connections.get', { connection: 'sentinel-me' })) as { settings: Record<string, unknown> }).settings).toMatchObject({ clientId: quick, auth: 'device-code', workspaceId: WORKSPACE });
    await expect.poll(() => page.locator('dl').innerText()).toContain(quick);
    await page.getByTestId('test-connection').click();
    await expect.poll(() => result.getAttribute('data-status'), { timeout: 20_000 }).toBe('ok');
    expect(await result.textContent()).toContain('signed in by device-code');
    await prompt.waitFor({ state: 'detached' });
    expect(signIns.at(-1)).toEqual({ state: 'finished', connection: 'sentinel-me', signedIn: true });

    // Back to a service principal: the dialog says the client secret is still to be set; settings change, secrets do not.
    await page.getByTestId('edit-connection').click();
    await edit.getByLabel('Sign-in method').selectOption('client-secret');
    expect(await edit.getByTestId('edit-needs-secret').textContent()).toContain('client secret');
    await edit.getByLabel('Workspace id').fill('not a workspace but valid text');
    await edit.getByText('Advanced').click();
    await edit.getByLabel('Query endpoint').fill('http://plain.example');
    await edit.getByRole('button', { name: 'Save settings' }).click();
    await expect.poll(() => edit.locator('.field-error').allTextContents()).toEqual([expect.stringContaining('https://')]);
    expect(((await call('connections.get', { connection: 'sentinel-me' })) as { settings: Record<string, unknown> }).settings).toMatchObject({ auth: 'device-code', endpoint: fakes.logs.url });
    await edit.getByLabel('Query endpoint').fill(fakes.logs.url);
    await edit.getByLabel('Workspace id').press('Enter');
    await edit.waitFor({ state: 'detached' });
    const stored = (await call('connections.get', { connection: 'sentinel-me' })) as { id: string; settings: Record<string, unknown>; secrets: unknown[] };
    expect(stored.settings).toMatchObject({ auth: 'client-secret', workspaceId: 'not a workspace but valid text', clientId: quick });
    expect(stored.secrets).toEqual([{ field: 'clientSecret', set: false, required: true }]);
    const secret = page.getByTestId('secret-field').filter({ hasText: 'Client secret' });
    await expect.poll(() => secret.getByTestId('secret-status').textContent()).toContain('Required · not set');
  });
});
