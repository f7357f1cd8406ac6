import { describe, expect, it } from 'vitest';
import Database from 'better-sqlite3';
import path from 'node:path';
import { quarry } from '../../helpers/cli.js';
import { createWorld, sprayHunt } from './world.js';
import type { EffectiveRule } from '../../../engine/findings/rules.js';
import type { Route } from '../../../engine/findings/routing.js';
import type { Delivery, Finding } from '../../../engine/findings/types.js';

/** The real `quarry` executable on a data dir a test engine prepared (sinks, routes, two findings). */
async function prepared(): Promise<{ q: (args: string[], stdin?: string) => ReturnType<typeof quarry>; dataDir: string }> {
  const w = await createWorld();
  await w.addAllSinks();
  await w.runSpray();
  w.engine.close();
  return { q: (args, stdin) => quarry(['--data-dir', w.dataDir, ...args], { stdin }), dataDir: w.dataDir };
}

describe('quarry findings | deliveries | sinks', () => {
  it('lists, shows, acknowledges and closes findings; lists, sends and retries deliveries', async () => {
    const { q } = await prepared();
    const list = await q(['findings', 'list', '--json']);
    expect(list.code).toBe(0);
    const findings = JSON.parse(list.stdout) as Finding[];
    expect(findings.map((f) => f.entities[0]!.value).sort()).toEqual(['198.51.100.23', '203.0.113.7']);
    const id = String(findings[0]!.id);

    const show = await q(['findings', 'show', id]);
    expect(show.code).toBe(0);
    expect(show.stdout).toContain(`Finding ${id}: Password spray from one IP: `);
    expect(show.stdout).toMatch(/Deliveries:\n.*\n.*snow\s+create\s+pending/);

    expect((await q(['findings', 'ack', id, '--note', 'on it', '--no-send'])).stdout).toBe(`Finding ${id} acknowledged.\n`);
    expect((await q(['findings', 'close', id, '--reason', 'pen test', '--no-send'])).stdout).toBe(`Finding ${id} closed.\n`);

    // This CLI process has no keychain entries for the sinks (they were set in the test's keychain): every delivery dies, visibly.
    const send = await q(['deliveries', 'send']);
    expect(send.stdout).toMatch(/^Deliveries: 0 delivered, 0 to retry, \d+ dead\.\n$/);
    const dead = JSON.parse((await q(['deliveries', 'list', '--state', 'dead', '--json'])).stdout) as Delivery[];
    expect(dead.length).toBeGreaterThan(0);
    expect(dead[0]!.lastError).toMatch(/the secret "\w+" is not set in the keychain/);
    const retry = await q(['deliveries', 'retry', '--all-dead', '--no-send']);
    expect(retry.stdout).toBe(`${dead.length} deliveries queued again.\n`);
  }, 90_000);

  it("shows and changes a hunt's finding rule, and routes findings to sinks", async () => {
    const { q } = await prepared();
    const shown = await q(['findings', 'rule', sprayHunt.name]);
    expect(shown).toMatchObject({ code: 0 });
    expect(shown.stdout).toContain(`Finding rule of "${sprayHunt.name}" (from the hunt's Sentinel fields):`);
    expect(shown.stdout).toMatch(/Trigger:\s+more than 0 rows\n/);
    expect(shown.stdout).toMatch(/One finding per:\s+entity group \(IPAddress\)\n/);

    // Only what is named changes; the rule is then the hunt's own.
    const set = await q(['findings', 'rule', sprayHunt.name, '--trigger', '>= 3', '--group-by', 'IPAddress,Accounts', '--dedup-window', '90m', '--json']);
    expect(set).toMatchObject({ code: 0 });
    expect(JSON.parse(set.stdout) as EffectiveRule).toEqual({
      huntId: sprayHunt.id,
      source: 'stored',
      rule: { enabled: true, trigger: { operator: 'ge', threshold: 3 }, groupBy: ['IPAddress', 'Accounts'], dedupWindowMinutes: 90, maxFindingsPerRun: 100 },
    });
    const disabled = await q(['findings', 'rule', sprayHunt.id, '--disable', '--trigger', 'any']);
    expect(disabled.stdout).toMatch(/Enabled:\s+no .*\n\s+Trigger:\s+any run\n/);
    expect(disabled.stdout).toMatch(/Dedup window:\s+90m\n/);
    const bad = await q(['findings', 'rule', sprayHunt.name, '--trigger', 'lots']);
    expect(bad).toMatchObject({ code: 1 });
    expect(bad.stderr).toContain('--trigger takes an operator and a row count');
    const reset = JSON.parse((await q(['findings', 'rule', sprayHunt.name, '--reset', '--json'])).stdout) as EffectiveRule;
    expect(reset).toMatchObject({ source: 'hunt', rule: { enabled: true, trigger: { operator: 'gt', threshold: 0 }, groupBy: 'entities' } });

    // Routes: narrow one sink to high findings of one hunt, stop routing to another.
    const route = await q(['sinks', 'route', 'soc-teams', '--min-severity', 'high', '--hunt', sprayHunt.name, '--replace']);
    expect(route.stdout).toBe(`Findings go to "soc-teams" when any of these match: >=high hunt:${sprayHunt.name}\n`);
    expect((await q(['sinks', 'unroute', 'snow'])).stdout).toBe('1 route to "snow" removed; no findings are routed to it.\n');
    const { routes } = JSON.parse((await q(['sinks', 'list', '--json'])).stdout) as { routes: Route[] };
    expect(routes.map((r) => [r.sink, r.minSeverity, r.hunts]).sort()).toEqual([
      ['jira', 'informational', []], ['pager', 'informational', []], ['soc-slack', 'informational', []], ['soc-teams', 'high', [sprayHunt.id]],
    ]);
  }, 90_000);

  it('adds a sink with its secret from standard input (never argv), lists, tests and removes it', async () => {
    const { q, dataDir } = await prepared();
    const hook = 'https://hooks.slack.com/services/T000/B000/cl1S3cr3tP4th';
    const add = await q(['sinks', 'add', 'slack', 'cli-slack', '--setting', 'channelLabel=#hunts', '--min-severity', 'high'], `${hook}\n`);
    expect(add).toMatchObject({ code: 0 });
    expect(add.stdout).toContain('Sink "cli-slack" (Slack) added; its webhookUrl is in the keychain.');
    const db = new Database(path.join(dataDir, 'quarry.db'), { readonly: true });
    try {
      expect(JSON.parse(db.prepare("SELECT settings FROM sinks WHERE name = 'cli-slack'").pluck().get() as string)).toEqual({ channelLabel: '#hunts', timeoutMs: 30_000 });
      expect(db.prepare("SELECT min_severity FROM finding_routes r JOIN sinks s ON s.id = r.sink_id WHERE s.name = 'cli-slack'").pluck().get()).toBe('high');
    } finally {
      db.close();
    }

    const smuggled = await q(['sinks', 'add', 'jira', 'j2', '--url', 'https://x.atlassian.net', '-s', 'email=a@b.co', '-s', 'projectKey=SEC', '-s', 'apiToken=abc'], 'tok\n');
    expect(smuggled.code).toBe(1);
    expect(smuggled.stderr).toContain("Unrecognized key(s) in object: 'apiToken'");

    const list = await q(['sinks', 'list']);
    expect(list.stdout).toMatch(/cli-slack\s+slack\s+webhookUrl:\w+\s+>=high/);
    expect(list.stdout).toMatch(/snow\s+servicenow\s+password:\w+ accessToken:unset\s+>=informational/);
    const test = await q(['sinks', 'test', 'snow']);
    expect(test).toMatchObject({ code: 1 });
    expect(test.stderr).toContain('sink "snow": ServiceNow: the secret "password" is not set in the keychain');
    expect((await q(['sinks', 'remove', 'cli-slack'])).stdout).toMatch(/^Sink "cli-slack" removed/);
    expect((await q(['sinks', 'list', '--json'])).stdout).not.toContain('cli-slack');
  }, 90_000);
});
