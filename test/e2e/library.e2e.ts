import { describe, expect, it } from 'vitest';
import { createDispatcher } from '../../engine/dispatch.js';
import type { Hunt } from '../../engine/types.js';
import { columnValues, runFromLibrary, shot, useApp } from './helpers.js';

const app = useApp();

describe('the hunt library', () => {
  it('first start shows the sample hunts the engine ships with, and one runs on the sample logs', async () => {
    const { page, bridge } = await app.open({ sampleData: true });
    const call = createDispatcher(bridge.engine);
    const hunts = (await call('hunts.list', {})) as Hunt[];
    expect(hunts.map((h) => h.name)).toContain('Password spray against Entra ID from one address');
    await page.getByTestId('hunt-row').first().waitFor();
    const names = await page.locator('[data-testid=hunt-row] .title').allTextContents();
    expect(names.sort()).toEqual(hunts.map((h) => h.name).sort());
    await shot(page, 'library');

    // A sample hunt runs on the sample logs out of the box: its hit in the grid, its time on the timeline.
    await runFromLibrary(page, 'Password spray against Entra ID from one address');
    expect(await columnValues(page, 'IPAddress')).toEqual(['185.220.101.47']);
    const bars = page.locator('[data-testid=timeline] rect.bar');
    await bars.first().waitFor();
    expect(await bars.evaluateAll((rects) => rects.map((r) => Number(r.getAttribute('data-count'))))).toEqual([1]);
    await shot(page, 'run-sample');
  });

  it('an empty library tells the user what to do next', async () => {
    const { page } = await app.open({ sampleData: false });
    await expect.poll(() => page.getByTestId('empty-state').textContent()).toContain('Your hunt library is empty');
    await expect.poll(() => page.getByRole('button', { name: 'Import hunting YAML' }).count()).toBe(1);
    await shot(page, 'library-empty');
  });

  it('searches, filters by tag and by ATT&CK tactic', async () => {
    const { page } = await app.open({ seeded: true });
    const rows = page.getByTestId('hunt-row');
    await rows.first().waitFor();
    await expect.poll(() => rows.count()).toBe(3);

    await page.getByLabel('Search hunts', { exact: true }).fill('spray');
    await expect.poll(() => page.locator('[data-testid=hunt-row] .title').allTextContents()).toEqual(['Password spray from one address']);
    await page.getByLabel('Search hunts', { exact: true }).fill('');

    await page.getByRole('button', { name: '#baseline' }).click();
    await expect.poll(() => page.locator('[data-testid=hunt-row] .title').allTextContents()).toEqual(['All sign-ins']);
    await page.getByRole('button', { name: '#baseline' }).click();

    await page.getByLabel('ATT&CK tactic').selectOption('CredentialAccess');
    await expect.poll(() => page.locator('[data-testid=hunt-row] .title').allTextContents()).toEqual(['Failed sign-ins', 'Password spray from one address']);
    await page.getByLabel('Search hunts', { exact: true }).fill('no such hunt anywhere');
    await expect.poll(() => page.getByTestId('empty-state').textContent()).toContain('No hunt matches');
  });

  it('imports a pasted Sentinel hunting query and reports a malformed one with its line', async () => {
    const { page, bridge } = await app.open({ sampleData: false });
    await page.getByRole('button', { name: 'Import hunting YAML' }).click();
    const yaml = [
      'id: 3c0e4d8e-2d7b-4b52-a0a2-1d1c1e2f3a44',
      'name: Rare process launched by Office',
      'description: Office spawning a shell.',
      'requiredDataConnectors: []',
      'tactics:',
      '  - Execution',
      'relevantTechniques:',
      '  - T1204.002',
      'query: |',
      '  DeviceProcessEvents',
      '  | where InitiatingProcessFileName in~ ("winword.exe", "excel.exe")',
      '  | where FileName in~ ("cmd.exe", "powershell.exe")',
      'kind: Scheduled',
    ].join('\n');
    await page.getByLabel('Hunt YAML').fill('name: [unclosed\n  query: x');
    await page.getByRole('button', { name: 'Import', exact: true }).click();
    await expect.poll(() => page.getByRole('alert').first().textContent()).toMatch(/pasted\.yaml:\d+/);
    await shot(page, 'library-import');
    await page.getByLabel('Hunt YAML').fill(yaml);
    await page.getByRole('button', { name: 'Import', exact: true }).click();
    await page.getByTestId('hunt-row').first().waitFor();
    expect(await page.locator('[data-testid=hunt-row] .title').allTextContents()).toEqual(['Rare process launched by Office']);
    const stored = (await createDispatcher(bridge.engine)('hunts.get', { hunt: 'Rare process launched by Office' })) as Hunt;
    expect(stored).toMatchObject({ language: 'kql', tactics: ['Execution'], techniques: ['T1204.002'], extra: { kind: 'Scheduled' } });
  });

  it('imports YAML files chosen with the file picker', async () => {
    const { page } = await app.open({ sampleData: false });
    await page.getByRole('button', { name: 'Import hunting YAML' }).click();
    await page.getByTestId('yaml-file-input').setInputFiles([
      { name: 'a.yaml', mimeType: 'text/yaml', buffer: Buffer.from('name: Hunt A\nlanguage: sql\nconnection: local\nquery: SELECT 1 AS one\n') },
      { name: 'b.yaml', mimeType: 'text/yaml', buffer: Buffer.from('name: Hunt B\nlanguage: sql\nconnection: local\nquery: SELECT 2 AS two\n') },
    ]);
    await page.getByTestId('hunt-row').nth(1).waitFor();
    expect(await page.locator('[data-testid=hunt-row] .title').allTextContents()).toEqual(['Hunt A', 'Hunt B']);
  });

  it('Ctrl+K finds a hunt by technique and opens it; Esc closes the palette', async () => {
    const { page } = await app.open({ seeded: true });
    await page.getByTestId('hunt-row').first().waitFor();
    await page.keyboard.press('Control+k');
    await page.getByRole('dialog', { name: 'Search hunts and screens' }).waitFor();
    await page.keyboard.press('Escape');
    await expect.poll(() => page.getByRole('dialog').count()).toBe(0);
    await page.keyboard.press('Control+k');
    await page.getByRole('dialog').getByLabel('Search').fill('T1110');
    await shot(page, 'command-palette');
    await page.keyboard.press('Enter');
    await expect.poll(() => page.getByLabel('Hunt name').inputValue()).toBe('Password spray from one address');
  });
});
