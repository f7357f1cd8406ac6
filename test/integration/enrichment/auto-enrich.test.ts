import { describe, expect, it } from 'vitest';
import { Engine } from '../../../engine/engine.js';
import { createDispatcher } from '../../../engine/dispatch.js';
import { startAutoEnrichment } from '../../../engine/enrichment/auto-enrich.js';
import { enrichmentFor, type EnrichmentRunSummary } from '../../../engine/enrichment/engine-enrichment.js';
import { extractionSummary } from '../../../engine/enrichment/run-store.js';
import { C2_IP, QUIET_IP, VT_KEY, createWorld, runBeaconHunt, type World } from './api-world.js';

/**
 * What the app's engine and `quarry daemon` do without a click: enrich each
 * run when it finishes, and pick up lookups a restart left queued.
 */

const finishedOnce = (w: World): Promise<EnrichmentRunSummary> =>
  new Promise((resolve) => {
    const off = w.api.on('enrichment.finished', (s) => {
      off();
      resolve(s);
    });
  });

describe('automatic enrichment', () => {
  it('enriches a run as soon as it finishes and raises its finding', async () => {
    const w = await createWorld();
    w.vt.setAnalysis('ip_addresses', C2_IP, { malicious: 14, harmless: 50 });
    await w.api.enrichment.setKey({ provider: 'virustotal', value: VT_KEY });
    const auto = startAutoEnrichment(w.engine, (line) => expect.fail(line));
    try {
      const finished = finishedOnce(w);
      const runId = await runBeaconHunt(w);
      expect((await finished).runId).toBe(runId);
      expect(w.vt.indicatorsRequested().sort()).toEqual([QUIET_IP, C2_IP].sort());
      const c2 = (await w.api.findings.list()).find((f) => f.entities.some((e) => e.value === C2_IP));
      expect(c2).toMatchObject({ severity: 'high', verdict: 'malicious' });
    } finally {
      auto.stop();
    }
  });

  it('does nothing on its own when the settings turn it off', async () => {
    const w = await createWorld();
    await w.api.enrichment.setKey({ provider: 'virustotal', value: VT_KEY });
    await w.api.enrichment.setSettings({ settings: { autoEnrich: false } });
    const auto = startAutoEnrichment(w.engine, (line) => expect.fail(line));
    try {
      const runId = await runBeaconHunt(w);
      expect(enrichmentFor(w.engine).isRunning(runId)).toBe(false);
      expect(extractionSummary(w.engine.db, runId)).toBeNull();
      expect(w.vt.indicatorsRequested()).toEqual([]);
    } finally {
      auto.stop();
    }
  });

  it('resumes on start the lookups a daily quota left queued', async () => {
    const w = await createWorld();
    await w.api.enrichment.setKey({ provider: 'virustotal', value: VT_KEY });
    await w.api.enrichment.setSettings({ settings: { autoEnrich: false, providers: { virustotal: { perDay: 1 } } } });
    const runId = await runBeaconHunt(w);
    const first = await w.api.enrichment.run({ runId, providers: ['virustotal'] });
    expect(first.providers[0]).toMatchObject({ provider: 'virustotal', done: 1, queued: 1 });

    // A new day's quota (a paid key here), and the app starting again on the same data dir and keychain.
    await w.api.enrichment.setSettings({ settings: { autoEnrich: true, providers: { virustotal: { perDay: null } } } });
    const dataDir = w.engine.dataDir;
    w.engine.close();
    const engine = await Engine.open({ dataDir, secrets: w.secrets, sampleData: false });
    try {
      const finished = new Promise<EnrichmentRunSummary>((resolve) => engine.events.once('enrichment.finished', resolve));
      const auto = startAutoEnrichment(engine, (line) => expect.fail(line));
      try {
        expect((await finished).providers[0]).toMatchObject({ provider: 'virustotal', queued: 0 });
        expect(w.vt.indicatorsRequested()).toHaveLength(2);
        const indicators = (await createDispatcher(engine)('enrichment.indicators', { runId })) as { indicators: Array<{ value: string; lookups: unknown[] }> };
        expect(indicators.indicators.filter((i) => i.lookups.length > 0).map((i) => i.value).sort()).toEqual([QUIET_IP, C2_IP].sort());
      } finally {
        auto.stop();
      }
    } finally {
      engine.close();
    }
  });

  it('a report of a run never enriched still lists the indicators in it, without asking any provider', async () => {
    const w = await createWorld();
    await w.api.enrichment.setKey({ provider: 'virustotal', value: VT_KEY });
    await w.api.enrichment.setSettings({ settings: { autoEnrich: false } });
    const runId = await runBeaconHunt(w);
    const { text } = await w.api.reports.export({ target: { runId }, format: 'stix' });
    const patterns = (JSON.parse(text!) as { objects: Array<{ type: string; pattern?: string }> }).objects.filter((o) => o.type === 'indicator').map((o) => o.pattern);
    expect(patterns.sort()).toEqual([`[ipv4-addr:value = '${C2_IP}']`, `[ipv4-addr:value = '${QUIET_IP}']`].sort());
    expect(w.vt.indicatorsRequested()).toEqual([]);
  });
});
