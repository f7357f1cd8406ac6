import path from 'node:path';
import { afterAll, afterEach, describe, expect, it } from 'vitest';
import { quarry, type CliResult } from '../../helpers/cli.js';
import { tempDir } from '../../helpers/temp-dir.js';
import { testKeychain } from '../../helpers/keychain.js';
import { startJiraFake, type JiraFake } from '../fakes/jira/index.js';
import { startPagerDutyFake, type PagerDutyFake } from '../fakes/pagerduty/index.js';
import { planted } from '../../../engine/sample/index.js';
import { SECRETS } from './world.js';

/**
 * Findings as a command-line user meets them on a new install: the real
 * `quarry` in a child process, the real OS keychain (scripts/with-keyring.sh
 * gives a throwaway one), the sample data and hunts, and the Jira and
 * PagerDuty fakes on loopback. `quarry run` reports the findings it opened
 * and delivers them; a second run updates; closing reaches both services.
 */

const { service, store: keychain, unavailable, skip } = await testKeychain('findings CLI', 'test/integration/findings');
const SPRAY = 'Password spray against Entra ID from one address';

const fakes: Array<JiraFake | PagerDutyFake> = [];
afterEach(async () => {
  for (const f of fakes.splice(0)) await f.close();
});

describe.skipIf(skip)('quarry run, findings and sinks with the OS keychain', () => {
  afterAll(async () => {
    if (unavailable) return;
    for (const account of await keychain.accounts('')) await keychain.delete(account);
  });

  it('a sample hunt run opens a finding and delivers it; a re-run updates it; closing resolves it everywhere', async () => {
    if (unavailable) throw new Error(`no Secret Service is reachable (${unavailable}); in CI the tests must run under scripts/with-keyring.sh`);
    const jira = await startJiraFake({ apiToken: SECRETS.jiraToken });
    const pd = await startPagerDutyFake({ routingKey: SECRETS.pdRoutingKey });
    fakes.push(jira, pd);
    const dataDir = path.join(tempDir('quarry-findings-cli-'), 'data');
    const printed: string[] = [];
    const q = async (args: string[], stdin?: string): Promise<CliResult> => {
      const r = await quarry(['--data-dir', dataDir, ...args], { stdin, env: { QUARRY_KEYCHAIN_SERVICE: service } });
      printed.push(r.stdout, r.stderr);
      return r;
    };

    // A transition id given as -s name=value arrives as a number, and is taken.
    const addJira = await q(['sinks', 'add', 'jira', 'jira', '--url', jira.url, '-s', 'email=hunter@example.com', '-s', 'projectKey=SEC', '-s', 'closeTransitionId=31'], `${SECRETS.jiraToken}\n`);
    expect(addJira).toMatchObject({ code: 0 });
    expect(addJira.stdout).toContain('No findings go to it until it is routed: quarry sinks route jira');
    expect((await q(['sinks', 'route', 'jira', '--tactic', 'Credential Access', '--hunt', SPRAY])).stdout)
      .toBe(`Findings go to "jira" when any of these match: >=informational tactic:Credential Access hunt:${SPRAY}\n`);
    expect((await q(['sinks', 'add', 'pagerduty', 'pager', '--url', pd.url, '--min-severity', 'high'], `${SECRETS.pdRoutingKey}\n`)).code).toBe(0);
    expect((await q(['findings', 'rule', SPRAY, '--dedup-window', '12h'])).stdout).toMatch(/Dedup window:\s+12h\n/);

    const first = await q(['run', SPRAY, '--limit', '1']);
    expect(first).toMatchObject({ code: 0 });
    expect(first.stdout).toContain(planted.sprayIp);
    expect(first.stdout).toContain('1 finding opened: #1 (high).\nDeliveries: 2 delivered, 0 to retry, 0 dead.\n');
    expect(jira.issues).toHaveLength(1);
    expect(pd.alerts.map((a) => [a.status, a.severity])).toEqual([['triggered', 'critical']]);

    const second = await q(['run', SPRAY, '--limit', '0']);
    expect(second.stdout).toContain('1 finding updated: #1 (high).\nDeliveries: 2 delivered, 0 to retry, 0 dead.\n');
    expect(jira.issues).toHaveLength(1);
    expect(jira.issues[0]!.comments).toHaveLength(1);
    expect(pd.alerts).toHaveLength(1);
    expect(pd.alerts[0]!.triggers).toHaveLength(2);

    // --no-send only queues; `deliveries send` delivers what waits.
    const close = await q(['findings', 'close', '1', '--reason', 'blocked at the edge', '--no-send']);
    expect(close.stdout).toBe('Finding 1 closed.\n');
    expect(pd.alerts[0]!.status).toBe('triggered');
    expect((await q(['deliveries', 'send'])).stdout).toBe('Deliveries: 2 delivered, 0 to retry, 0 dead.\n');
    expect(jira.issues[0]).toMatchObject({ status: 'Done', transitions: ['31'] });
    expect(pd.alerts[0]!.status).toBe('resolved');

    const all = printed.join('\n');
    for (const secret of [SECRETS.jiraToken, SECRETS.pdRoutingKey]) expect(all).not.toContain(secret);
  }, 180_000);
});
