import { describe, expect, it } from 'vitest';
import { createWorld } from './world.js';
import type { FindingUpdatedEvent, Verdict } from '../../../engine/findings/types.js';
import type { VerdictSource } from '../../../engine/findings/verdicts.js';

/** Threat intel as enrichment would report it: a verdict per indicator value, changeable as lookups finish. */
function intel(): VerdictSource & { set(value: string, verdict: Verdict): void } {
  const known = new Map<string, Verdict>();
  return {
    set: (value, verdict) => void known.set(value, verdict),
    maxVerdictFor: (_runId, values) => values.map((v) => known.get(v)).find((v) => v === 'malicious') ?? values.map((v) => known.get(v)).find(Boolean) ?? null,
  };
}

describe('threat-intel verdicts and severity', () => {
  it('a malicious verdict known when the run finishes makes the finding high, and routes follow', async () => {
    const ti = intel();
    ti.set('203.0.113.7', 'malicious');
    const w = await createWorld({ verdicts: ti });
    await w.addAllSinks();
    await w.api.routes.set({ routes: [{ sink: 'pager', minSeverity: 'high' }, { sink: 'soc-slack', tactics: ['Credential Access'] }] });
    await w.runSpray();
    const [high, medium] = ['203.0.113.7', '198.51.100.23'].map((ip) => w.findings().list().find((f) => f.entities[0]!.value === ip)!);
    expect(high).toMatchObject({ severity: 'high', huntSeverity: 'medium', verdict: 'malicious' });
    expect(medium).toMatchObject({ severity: 'medium', verdict: null });
    await w.findings().worker.drain();
    // Only the high one pages; both reach Slack through the tactic route.
    expect(w.pd.alerts.map((a) => a.dedupKey)).toEqual([high!.correlationId]);
    expect(w.pd.alerts[0]!.severity).toBe('critical');
    expect(w.slack.messages).toHaveLength(2);
  });

  it('a verdict that arrives after the run raises the open finding and reaches the sinks its new severity routes to', async () => {
    const ti = intel();
    const w = await createWorld({ verdicts: ti });
    await w.addAllSinks();
    await w.api.routes.set({ routes: [{ sink: 'pager', minSeverity: 'high' }, { sink: 'snow' }] });
    const run = await w.runSpray();
    await w.findings().worker.drain();
    expect(w.pd.alerts).toHaveLength(0);
    const updates: FindingUpdatedEvent[] = [];
    w.api.on('finding.updated', (e) => updates.push(e));

    ti.set('198.51.100.23', 'malicious');
    const changed = w.findings().refreshVerdicts(run.id);
    const f = w.findings().list().find((x) => x.entities[0]!.value === '198.51.100.23')!;
    expect(changed).toEqual([f.id]);
    expect(f).toMatchObject({ severity: 'high', verdict: 'malicious' });
    // Announced, so the desktop can notify about a finding that became high after it opened.
    expect(updates).toEqual([expect.objectContaining({ id: f.id, severity: 'high', previousSeverity: 'medium', cause: 'verdict' })]);
    await w.findings().worker.drain();
    expect(w.pd.alertsFor(f.correlationId)).toHaveLength(1);
    const incident = w.sn.incidents.find((i) => i.correlation_id === f.correlationId)!;
    expect(incident).toMatchObject({ urgency: '1', impact: '1' });
    expect(w.findings().refreshVerdicts(run.id)).toEqual([]); // nothing new: nothing sent again
    expect(updates).toHaveLength(1);
  });

  it('a re-hit announces the update, with the severity a verdict known by then raised it from', async () => {
    const ti = intel();
    const w = await createWorld({ verdicts: ti });
    await w.runSpray();
    const updates: FindingUpdatedEvent[] = [];
    w.api.on('finding.updated', (e) => updates.push(e));
    ti.set('203.0.113.7', 'malicious');
    w.clock.advance(60 * 60_000);
    await w.runSpray();
    const byIp = (ip: string) => updates.find((u) => u.entities[0]!.value === ip);
    expect(updates).toHaveLength(2);
    expect(byIp('203.0.113.7')).toMatchObject({ cause: 'rehit', hitCount: 2, severity: 'high', previousSeverity: 'medium', verdict: 'malicious' });
    expect(byIp('198.51.100.23')).toMatchObject({ cause: 'rehit', hitCount: 2, severity: 'medium', previousSeverity: 'medium' });
  });
});
