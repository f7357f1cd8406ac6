import fs from 'node:fs';
import path from 'node:path';
import { afterEach } from 'vitest';
import { Engine } from '../../../engine/engine.js';
import type { Clock } from '../../../engine/clock.js';
import type { Run } from '../../../engine/types.js';
import { createDispatcher } from '../../../engine/dispatch.js';
import { createClient, type QuarryClient } from '../../../engine/client.js';
import { MemorySecretStore } from '../../../engine/secrets/secret-store.js';
import { findingsService, type FindingsOptions, type FindingsService } from '../../../engine/findings/service.js';
import { tempDir } from '../../helpers/temp-dir.js';
import type { SinkKind } from '../../../connectors/sinks/types.js';
import { startServiceNowFake, type ServiceNowFake } from '../fakes/servicenow/index.js';
import { startJiraFake, type JiraFake } from '../fakes/jira/index.js';
import { startPagerDutyFake, type PagerDutyFake } from '../fakes/pagerduty/index.js';
import { startSlackFake, type SlackFake } from '../fakes/slack/index.js';
import { startTeamsFake, type TeamsFake } from '../fakes/teams/index.js';

/**
 * A findings test's world: an engine on a temp data dir with a fake clock and
 * an in-memory keychain that outlives restarts (as the OS keychain does), the
 * five sink fakes on loopback, and a sample-like password-spray hunt over
 * imported sign-in logs.
 */

export class FakeClock implements Clock {
  private ms = Date.parse('2026-03-10T12:00:00.000Z');
  now(): Date {
    return new Date(this.ms);
  }
  advance(ms: number): void {
    this.ms += ms;
  }
}

export const SECRETS = {
  snPassword: 'sn-password',
  jiraToken: 'jira-api-token',
  pdRoutingKey: 'R0UT1NGKEY0000000000000000000001',
};

export const SPRAY_IPS = ['203.0.113.7', '198.51.100.23'];

/** Sentinel-shaped sign-ins: two IPs spraying many accounts with 50126 failures, and ordinary noise. */
function signinCsv(): string {
  const lines = ['TimeGenerated,UserPrincipalName,IPAddress,ResultType,AppDisplayName'];
  const users = Array.from({ length: 14 }, (_, i) => `user${i}@contoso.com`);
  users.forEach((u, i) => lines.push(`2026-03-10T09:${String(i).padStart(2, '0')}:00Z,${u},${SPRAY_IPS[0]},50126,Azure Portal`));
  users.slice(0, 9).forEach((u, i) => lines.push(`2026-03-10T10:${String(i).padStart(2, '0')}:00Z,${u},${SPRAY_IPS[1]},50126,Office 365`));
  for (let i = 0; i < 40; i++) lines.push(`2026-03-10T08:${String(i).padStart(2, '0')}:00Z,${users[i % 14]},10.1.0.${i % 5},0,Outlook`);
  lines.push('2026-03-10T08:30:00Z,user1@contoso.com,10.1.0.9,50126,Outlook');
  return lines.join('\n');
}

export const sprayHunt = {
  id: 'b1c3e2aa-7d5f-4e39-9c1e-password-spray',
  name: 'Password spray from one IP',
  description: 'Many accounts failing with a bad password (50126) from the same address.',
  language: 'sql' as const,
  connection: 'local',
  query: `SELECT IPAddress, count(DISTINCT UserPrincipalName) AS Accounts, count(*) AS Failures
          FROM SigninLogs WHERE CAST(ResultType AS TEXT) = '50126'
          GROUP BY IPAddress HAVING count(DISTINCT UserPrincipalName) >= @minAccounts`,
  parameters: [{ name: 'minAccounts', type: 'int' as const, default: 5 }],
  severity: 'medium' as const,
  tactics: ['CredentialAccess'],
  techniques: ['T1110.003'],
  tags: ['password-spray'],
  entityMappings: [{ entityType: 'IP', fieldMappings: [{ identifier: 'Address', columnName: 'IPAddress' }] }],
  extra: { kind: 'Scheduled', triggerOperator: 'gt', triggerThreshold: 0, queryFrequency: '1h' },
};

export interface World {
  dataDir: string;
  clock: FakeClock;
  secrets: MemorySecretStore;
  engine: Engine;
  api: QuarryClient;
  sn: ServiceNowFake;
  jira: JiraFake;
  pd: PagerDutyFake;
  slack: SlackFake;
  teams: TeamsFake;
  options: FindingsOptions;
  findings(): FindingsService;
  /** Closes the engine and opens a new one on the same data dir and keychain. */
  restart(): Promise<void>;
  /**
   * Adds the five sinks (secrets through the API, into the keychain) and routes every finding to all of them;
   * `settings` adds to a sink's settings by its name (snow, jira, pager, soc-slack, soc-teams).
   */
  addAllSinks(overrides?: { teamsFormat?: 'adaptive' | 'messagecard'; settings?: Record<string, Record<string, unknown>> }): Promise<void>;
  /** Imports the sign-in logs and saves the spray hunt (once). */
  prepareSpray(): Promise<void>;
  runSpray(): Promise<Run>;
  /** Bytes of the store (database and WAL), to look for secrets in. */
  storeBytes(): Buffer;
}

const cleanups: Array<() => Promise<void>> = [];
afterEach(async () => {
  for (const c of cleanups.splice(0).reverse()) await c();
});

/** `sampleData` opens the first engine as a new install does: the generated sample dataset and the sample hunts. */
export async function createWorld(options: FindingsOptions = {}, opts: { sampleData?: boolean } = {}): Promise<World> {
  const dataDir = tempDir('quarry-findings-');
  const clock = new FakeClock();
  const secrets = new MemorySecretStore();
  const [sn, jira, pd, slack, teams] = await Promise.all([
    startServiceNowFake({ password: SECRETS.snPassword }),
    startJiraFake({ apiToken: SECRETS.jiraToken }),
    startPagerDutyFake({ routingKey: SECRETS.pdRoutingKey }),
    startSlackFake(),
    startTeamsFake(),
  ]);

  const open = async (): Promise<{ engine: Engine; api: QuarryClient }> => {
    const engine = await Engine.open({ dataDir, clock, secrets, sampleData: opts.sampleData ?? false });
    findingsService(engine).configure({ random: () => 0.5, ...world.options });
    const dispatch = createDispatcher(engine);
    const api = createClient((m, a) => dispatch(m, a), (event, listener) => {
      engine.events.on(event, listener);
      return () => engine.events.off(event, listener);
    });
    return { engine, api };
  };

  const world = { dataDir, clock, secrets, sn, jira, pd, slack, teams, options } as World;
  Object.assign(world, await open());
  cleanups.push(async () => {
    if (world.engine.db.open) world.engine.close();
    await Promise.all([sn, jira, pd, slack, teams].map((f) => f.close()));
  });

  world.findings = () => findingsService(world.engine);
  world.restart = async () => {
    if (world.engine.db.open) world.engine.close();
    Object.assign(world, await open());
  };
  world.addAllSinks = async (o = {}) => {
    const add = (sink: { kind: SinkKind; name: string; settings: Record<string, unknown>; secrets: Record<string, string> }) =>
      world.api.sinks.add({ ...sink, settings: { ...sink.settings, ...o.settings?.[sink.name] } });
    await add({ kind: 'servicenow', name: 'snow', settings: { instanceUrl: sn.url, username: 'svc.quarry', closeCode: 'Solution provided' }, secrets: { password: SECRETS.snPassword } });
    await add({ kind: 'jira', name: 'jira', settings: { baseUrl: jira.url, email: 'hunter@example.com', projectKey: 'SEC', ackTransitionId: '21' }, secrets: { apiToken: SECRETS.jiraToken } });
    await add({ kind: 'pagerduty', name: 'pager', settings: { baseUrl: pd.url, source: 'quarry-workstation' }, secrets: { routingKey: SECRETS.pdRoutingKey } });
    await add({ kind: 'slack', name: 'soc-slack', settings: { channelLabel: '#soc' }, secrets: { webhookUrl: slack.webhookUrl } });
    const teamsUrl = o.teamsFormat === 'messagecard' ? teams.connectorUrl : teams.workflowUrl;
    await add({ kind: 'teams', name: 'soc-teams', settings: { format: o.teamsFormat ?? 'adaptive' }, secrets: { webhookUrl: teamsUrl } });
    await world.api.routes.set({ routes: ['snow', 'jira', 'pager', 'soc-slack', 'soc-teams'].map((sink) => ({ sink })) });
  };
  world.prepareSpray = async () => {
    if (world.engine.hunts.find(sprayHunt.id)) return;
    await world.engine.importLogs({ file: writeCsv(dataDir), table: 'SigninLogs' });
    world.engine.hunts.save(sprayHunt);
  };
  world.runSpray = async () => {
    await world.prepareSpray();
    return world.engine.runner.run({ hunt: sprayHunt.id });
  };
  world.storeBytes = () =>
    Buffer.concat(['quarry.db', 'quarry.db-wal'].map((f) => path.join(dataDir, f)).filter((f) => fs.existsSync(f)).map((f) => fs.readFileSync(f)));
  return world;
}

function writeCsv(dataDir: string): string {
  const file = path.join(dataDir, 'signins.csv');
  fs.writeFileSync(file, signinCsv());
  return file;
}
