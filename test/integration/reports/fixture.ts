import type { Engine } from '../../../engine/engine.js';
import { createDispatcher } from '../../../engine/dispatch.js';
import { openTestEngine, writeTempFile } from '../../helpers/engine.js';

/**
 * A hunt report's world: a password-spray hunt over imported sign-in logs
 * (with attacker-controlled payloads in the cells), one run of it, the run's
 * indicators and verdicts in the enrichment tables, and a finding with
 * tickets served by an in-memory findings source.
 */

export const payloads = {
  script: '<script>window.__pwned = 1</script>',
  img: '"><img src=x onerror="window.__pwned=2">',
  formula: '=HYPERLINK("http://evil.example/x","click")',
  plus: "+cmd|' /C calc'!A0",
  at: '@SUM(1+1)*cmd|" /C calc"!A0',
  minus: '-2+3+cmd|" /C calc"!A0',
  quoteUrl: "http://evil.example/a'b\\c",
};

const attackers = ['203.0.113.7', '198.51.100.23', '203.0.113.99'];
const users = ['alice@contoso.example', 'bob@contoso.example', 'carol@contoso.example', 'dave@contoso.example', 'erin@contoso.example', 'frank@contoso.example'];

/** Sign-in rows: a spray from three addresses over six hours, a few odd rows carrying payloads, one row without a time. */
export function signinCsv(): string {
  const q = (s: string) => `"${s.replaceAll('"', '""')}"`;
  const lines = ['TimeGenerated,UserPrincipalName,IPAddress,ResultType,AppDisplayName,UserAgent'];
  // First in time order, so they are in the report's sample rows.
  lines.push(`2026-01-05T05:58:00Z,${q(payloads.script)},203.0.113.7,50126,${q(payloads.img)},${q(payloads.formula)}`);
  lines.push(`2026-01-05T05:58:30Z,mallory@contoso.example,203.0.113.7,50126,${q(payloads.plus)},${q(payloads.at)}`);
  lines.push(`2026-01-05T05:59:00Z,mallory@contoso.example,203.0.113.7,50126,${q(payloads.minus)},${q(payloads.quoteUrl)}`);
  lines.push(',nobody@contoso.example,203.0.113.7,50126,Azure Portal,curl/8.0');
  const start = Date.parse('2026-01-05T06:00:00Z');
  for (let i = 0; i < 240; i++) {
    // A spray ramping up and down: a triangular spread over six hours, peaking at 09:00.
    const u = (i + 0.5) / 240;
    const x = u < 0.5 ? Math.sqrt(u / 2) : 1 - Math.sqrt((1 - u) / 2);
    const t = start + Math.round(x * 6 * 3_600_000);
    const ip = attackers[i % 7 === 0 ? 2 : i % 3 === 0 ? 1 : 0]!;
    lines.push(`${new Date(t).toISOString()},${users[i % users.length]},${ip},50126,Azure Portal,python-requests/2.31`);
  }
  return `${lines.join('\n')}\n`;
}

export const huntInput = {
  name: 'Password spray against Entra ID',
  description: 'Many accounts failing to sign in with a wrong password (50126) from few addresses: a password spray.\nEscalate when any account then signs in successfully from the same address.',
  language: 'sql' as const,
  connection: 'local',
  query: 'SELECT TimeGenerated, UserPrincipalName, IPAddress, ResultType, AppDisplayName, UserAgent\nFROM SigninLogs\nWHERE ResultType = @resultType\nORDER BY TimeGenerated',
  parameters: [{ name: 'resultType', type: 'string' as const, default: '50126', description: 'Entra ID error code for a wrong password' }],
  tactics: ['CredentialAccess', 'InitialAccess'],
  techniques: ['T1110.003', 'T1078.004'],
  entityMappings: [
    { entityType: 'Account', fieldMappings: [{ identifier: 'FullName', columnName: 'UserPrincipalName' }] },
    { entityType: 'IP', fieldMappings: [{ identifier: 'Address', columnName: 'IPAddress' }] },
  ],
  severity: 'high' as const,
  tags: ['bruteforce', 'identity'],
};

export interface ReportWorld {
  engine: Engine;
  runId: number;
  huntId: string;
  /** The finding the findings module opened for the spraying address (acknowledged, with tickets). */
  findingId: number;
}

/** Indicators as the enrichment module stores them (migration 3), with provider verdicts. */
export function storeVerdicts(engine: Engine, runId: number): void {
  const db = engine.db;
  db.prepare('INSERT INTO enrichment_runs (run_id, extracted_at, rows_scanned, indicator_count) VALUES (?, ?, ?, ?)').run(runId, '2026-01-05T12:05:00.000Z', 244, 7);
  const add = db.prepare('INSERT INTO enrichment_run_indicators (run_id, indicator_type, value, row_count, skip_reason) VALUES (?, ?, ?, ?, ?)');
  const look = db.prepare(
    `INSERT INTO enrichment_run_lookups (indicator_id, provider, run_id, priority, state, found, verdict, score, link, updated_at)
     VALUES (?, ?, ?, 0, ?, 1, ?, ?, ?, '2026-01-05T12:06:00.000Z')`);
  const indicator = (type: string, value: string, rows: number, skip: string | null, lookups: Array<[string, string, string | null, number | null, string | null]>) => {
    const id = add.run(runId, type, value, rows, skip).lastInsertRowid;
    for (const [provider, state, verdict, score, link] of lookups) look.run(id, provider, runId, state, verdict, score, link);
  };
  indicator('ipv4', '203.0.113.7', 150, null, [
    ['virustotal', 'done', 'malicious', 14, 'https://www.virustotal.com/gui/ip-address/203.0.113.7'],
    ['otx', 'done', 'suspicious', 3, 'https://otx.alienvault.com/indicator/ip/203.0.113.7'],
  ]);
  indicator('ipv4', '198.51.100.23', 69, null, [
    ['virustotal', 'done', 'suspicious', 2, 'https://www.virustotal.com/gui/ip-address/198.51.100.23'],
    ['xforce', 'done', 'harmless', 1, 'javascript:alert(1)'],
  ]);
  indicator('ipv4', '203.0.113.99', 35, null, [['virustotal', 'queued', null, null, null]]);
  indicator('domain', 'evil.example', 2, null, [['otx', 'done', 'malicious', 7, 'https://otx.alienvault.com/indicator/domain/evil.example']]);
  indicator('url', payloads.quoteUrl, 1, null, [['virustotal', 'done', 'malicious', 9, 'https://www.virustotal.com/gui/url/abc']]);
  indicator('sha256', 'e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855', 1, null, [['virustotal', 'done', 'harmless', 0, null]]);
  indicator('ipv4', '10.0.0.5', 3, 'non_public', []);
}

/** Tickets for a finding, as the outbox records them after delivering to ServiceNow and Jira (migration 4). */
export function storeTickets(engine: Engine, findingId: number, at: string): void {
  const db = engine.db;
  const sink = db.prepare('INSERT INTO sinks (id, name, kind, settings, created_at, updated_at) VALUES (?, ?, ?, ?, ?, ?)');
  sink.run('sink-snow', 'soc-servicenow', 'servicenow', JSON.stringify({ instanceUrl: 'https://contoso.service-now.example' }), at, at);
  sink.run('sink-jira', 'soc-jira', 'jira', JSON.stringify({ baseUrl: 'https://contoso.atlassian.example', project: 'SEC' }), at, at);
  const ticket = db.prepare('INSERT INTO sink_tickets (finding_id, sink_id, external_id, external_key, url, created_at) VALUES (?, ?, ?, ?, ?, ?)');
  ticket.run(findingId, 'sink-snow', '9d3f0c1a', 'INC0012345', 'https://contoso.service-now.example/nav_to.do?uri=incident.do%3Fsys_id%3D9d3f0c1a', at);
  ticket.run(findingId, 'sink-jira', '10042', 'SEC-42', 'https://contoso.atlassian.example/browse/SEC-42', at);
}

/**
 * The world: logs imported, the hunt saved with a finding rule of one finding
 * per address, run (the findings module opens three findings), the run's
 * verdicts stored, and the spraying address's finding acknowledged with two tickets.
 */
export async function createReportWorld(opts: { engine?: Engine } = {}): Promise<ReportWorld> {
  const engine = opts.engine ?? (await openTestEngine());
  const api = createDispatcher(engine);
  await engine.importLogs({ file: writeTempFile('signins.csv', signinCsv()), table: 'SigninLogs' });
  const hunt = engine.hunts.save(huntInput);
  await api('findingRules.set', { hunt: hunt.id, rule: { groupBy: ['IPAddress'] } });
  const run = await engine.runner.run({ hunt: hunt.id });
  if (run.status !== 'succeeded') throw new Error(`fixture run ${run.status}: ${run.error}`);
  storeVerdicts(engine, run.id);
  const findings = (await api('findings.list', {})) as Array<{ id: number; entities: Array<{ value: string }> }>;
  const spray = findings.find((f) => f.entities.some((e) => e.value === '203.0.113.7'));
  if (!spray) throw new Error(`the findings module opened no finding for 203.0.113.7 (${findings.length} findings)`);
  await api('findings.ack', { id: spray.id });
  storeTickets(engine, spray.id, run.endedAt ?? run.startedAt);
  return { engine, runId: run.id, huntId: hunt.id, findingId: spray.id };
}
