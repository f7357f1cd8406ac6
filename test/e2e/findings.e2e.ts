import { afterEach, describe, expect, it } from 'vitest';
import { createDispatcher } from '../../engine/dispatch.js';
import { findingsService } from '../../engine/findings/service.js';
import type { EffectiveRule } from '../../engine/findings/rules.js';
import type { Route } from '../../engine/findings/routing.js';
import type { Delivery } from '../../engine/findings/types.js';
import { startSlackFake, type SlackFake } from '../integration/fakes/slack/index.js';
import { runFromLibrary, shot, useApp } from './helpers.js';

const app = useApp();
const SPRAY_ID = '0c6f1a52-3a57-4f8e-9a53-5a1b4f0d2f11'; // "Password spray from one address" (fixtures/seed.ts)
const fakes: SlackFake[] = [];
afterEach(async () => {
  for (const f of fakes.splice(0)) await f.close();
});

describe('findings and delivery in the app', () => {
  it("edits a hunt's finding rule in the hunt editor: trigger, grouping by columns, dedup window", async () => {
    const { page, bridge } = await app.open({ seeded: true });
    const call = createDispatcher(bridge.engine);
    await page.goto(page.url().replace(/#.*$/, '') + `#/hunts/${SPRAY_ID}`);
    const panel = page.getByRole('region', { name: 'Finding rules' });
    await panel.getByLabel('Trigger operator').waitFor();
    expect(await panel.textContent()).toContain('Rule: defaults.');

    await panel.getByLabel('Trigger operator').selectOption('ge');
    await panel.getByLabel('Trigger threshold').fill('2');
    // Choosing columns before any is typed keeps the choice and shows where to type them.
    await panel.getByLabel('Group findings by').selectOption('columns');
    await panel.getByRole('button', { name: 'Save rule' }).click();
    await expect.poll(() => panel.getByRole('alert').textContent()).toContain('Name the result columns');
    await panel.getByLabel('Group columns').fill('IPAddress, Accounts');
    await panel.getByLabel('Dedup window minutes').fill('90');
    await panel.getByRole('button', { name: 'Save rule' }).click();
    await expect.poll(() => panel.textContent()).toContain('Rule: set here.');
    await shot(page, 'editor-finding-rule');
    expect(await call('findingRules.get', { hunt: SPRAY_ID })).toEqual({
      huntId: SPRAY_ID,
      source: 'stored',
      rule: { enabled: true, trigger: { operator: 'ge', threshold: 2 }, groupBy: ['IPAddress', 'Accounts'], dedupWindowMinutes: 90, maxFindingsPerRun: 100 },
    } satisfies EffectiveRule);

    // The spray returns one row: "at least 2 rows" is not met, so the run opens no finding.
    await runFromLibrary(page, 'Password spray from one address');
    expect(await call('findings.list', {})).toEqual([]);

    await page.goto(page.url().replace(/#.*$/, '') + `#/hunts/${SPRAY_ID}`);
    await panel.getByRole('button', { name: 'Reset' }).click();
    await expect.poll(() => panel.textContent()).toContain('Rule: defaults.');
    expect(((await call('findingRules.get', { hunt: SPRAY_ID })) as EffectiveRule).source).toBe('default');
  });

  it('adds a routed Slack sink, narrows its routes, and shows and retries a dead letter', async () => {
    const slack = await startSlackFake();
    fakes.push(slack);
    const { page, bridge } = await app.open({ seeded: true });
    const call = createDispatcher(bridge.engine);
    const worker = findingsService(bridge.engine).worker;
    worker.start(); // as in the app's engine process
    try {
      await page.goto(page.url().replace(/#.*$/, '') + '#/connections');
      await page.getByRole('button', { name: 'Add sink' }).click();
      const dialog = page.getByRole('dialog');
      await dialog.getByLabel('Sink kind').selectOption('slack');
      await dialog.getByLabel('Sink name').fill('soc-slack');
      await dialog.getByLabel('Incoming webhook URL').fill(slack.webhookUrl);
      await dialog.getByLabel('Route findings of at least').selectOption('medium');
      await shot(page, 'sink-add');
      await dialog.getByRole('button', { name: 'Add sink' }).click();
      await dialog.waitFor({ state: 'detached' });

      // The new sink takes findings of medium severity and above; a second route adds low ones of identity hunts.
      const routes = page.getByRole('region', { name: 'Routes' });
      await expect.poll(() => routes.getByTestId('route').allTextContents()).toEqual([expect.stringContaining('Severity medium or higher')]);
      await routes.getByLabel('Route minimum severity').selectOption('low');
      await routes.getByLabel('Route tags').fill('identity');
      await routes.getByRole('button', { name: 'Add route' }).click();
      await expect.poll(() => routes.getByTestId('route').count()).toBe(2);
      await shot(page, 'sink-routes');
      const stored = (await call('routes.list', {})) as Route[];
      expect(stored.map((r) => [r.sink, r.minSeverity, r.tags])).toEqual([['soc-slack', 'medium', []], ['soc-slack', 'low', ['identity']]]);
      await routes.getByTestId('route').first().getByRole('button', { name: 'Remove' }).click();
      await expect.poll(async () => ((await call('routes.list', {})) as Route[]).map((r) => r.minSeverity)).toEqual(['low']);

      // The channel's webhook is gone (404): the high-severity spray finding's message is dead-lettered at once.
      slack.failNext({ status: 404, body: 'no_service' });
      await runFromLibrary(page, 'Password spray from one address');
      await expect.poll(async () => ((await call('deliveries.list', {})) as Delivery[]).map((d) => d.state)).toEqual(['dead']);

      await page.goto(page.url().replace(/#.*$/, '') + '#/deliveries');
      await page.getByRole('tab', { name: 'Dead letters' }).click();
      const row = page.getByTestId('delivery-row');
      await expect.poll(() => row.textContent()).toContain('HTTP 404: the Slack webhook answered 404: no_service');
      await shot(page, 'deliveries-dead');
      await row.getByRole('button', { name: 'Retry' }).click();
      await expect.poll(() => slack.messages.length).toBe(1);
      await page.getByRole('tab', { name: 'All' }).click();
      await expect.poll(() => page.getByTestId('delivery-row').textContent()).toContain('posted');
      expect(((await call('deliveries.list', {})) as Delivery[]).map((d) => [d.state, d.attempts])).toEqual([['delivered', 1]]);
      expect(slack.messages[0]!.text).toContain('Password spray from one address');
    } finally {
      worker.stop();
    }
  });
});
