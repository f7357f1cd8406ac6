import fs from 'node:fs';
import path from 'node:path';
import type { BenchFigure } from './figure.js';
import { benchDir } from './util.js';
import { openStore } from '../../engine/store/db.js';
import { insertRun, finishRun } from '../../engine/runs/run-repo.js';
import { ResultWriter } from '../../engine/runs/result-store.js';
import { MemorySecretStore } from '../../engine/secrets/secret-store.js';
import { extractIndicators } from '../../engine/enrichment/extract.js';
import { createEnrichmentService } from '../../engine/enrichment/service.js';
import { EnrichmentCache } from '../../engine/enrichment/cache.js';
import { providerIds } from '../../engine/enrichment/settings.js';
import type { Indicator } from '../../engine/enrichment/indicator.js';
import { providerSecretAccount } from '../../connectors/enrichers/index.js';
import type { StoredValue } from '../../engine/types.js';
import { startVirusTotalFake } from '../integration/fakes/virustotal/index.js';
import { startXForceFake } from '../integration/fakes/xforce/index.js';
import { startOtxFake } from '../integration/fakes/otx/index.js';

const hex = (n: number, len: number): string => (n.toString(16).padStart(8, '0').repeat(Math.ceil(len / 8))).slice(0, len);

/** How many distinct URLs and file hashes the generated text holds; `null` makes every one unique. */
interface TextShape {
  urls: number | null;
  hashes: number | null;
}

/**
 * ~19 MiB of log-like text, 160k lines: sign-ins with public and private
 * addresses, DNS and proxy lines with URLs, file events with hashes and mail,
 * defanged report excerpts, and prose that holds nothing.
 */
function generateText(shape: TextShape): string {
  const lines: string[] = [];
  for (let i = 0; lines.length < 160_000; i++) {
    const u = shape.urls === null ? i : i % shape.urls;
    const h = shape.hashes === null ? i : i % shape.hashes;
    const ip = `45.${(i * 7) % 250}.${(i * 13) % 250}.${(i * 31) % 250}`;
    lines.push(
      `2026-03-10T12:${String(i % 60).padStart(2, '0')}:00Z host-${i % 300} sshd[${1000 + (i % 9000)}]: Accepted password for user${i % 997} from ${ip} port ${40000 + (i % 20000)} ssh2`,
      `dns query bad-${i % 5000}.net type A from 10.${i % 255}.0.${i % 200}; GET https://cdn-${u % 700}.bad-${u % 5000}.net/p/${u}?id=${u} UA Mozilla/5.0 (Windows NT 10.0; Win64; x64)`,
      `file ${hex(h, 64)} written by svc${i % 50}@corp-mail.org, report hxxp://drop-${i % 900}[.]ru/x and 91.${i % 250}.1[.]${i % 250}`,
      `the scheduled task completed without errors after ${i % 1000} ms; next run in ${i % 60} minutes, nothing to report here at all`,
    );
  }
  return lines.join('\n');
}

/** The classic one-regex IOC scan, with no refanging, validation or deduplication: the speed to stay near. */
const COMBINED = /\b(?:https?:\/\/[^\s"'<>]+|[\w.+-]+@[\w-]+(?:\.[\w-]+)+|(?:\d{1,3}\.){3}\d{1,3}|[0-9a-f]{64}|[0-9a-f]{40}|[0-9a-f]{32}|(?:[a-z0-9-]+\.)+[a-z]{2,63})\b/gi;

function combinedRegexCount(text: string): number {
  let n = 0;
  COMBINED.lastIndex = 0;
  while (COMBINED.exec(text) !== null) n++;
  return n;
}

/** Median wall times of two functions run alternately, so that load from elsewhere falls on both alike. */
function alternatingMedians(runs: number, a: () => unknown, b: () => unknown): [number, number] {
  const ta: number[] = [];
  const tb: number[] = [];
  const time = (fn: () => unknown, into: number[]) => {
    const t0 = process.hrtime.bigint();
    fn();
    into.push(Number(process.hrtime.bigint() - t0) / 1e6);
  };
  for (let i = 0; i < runs; i++) {
    time(a, ta);
    time(b, tb);
  }
  const median = (xs: number[]) => xs.sort((x, y) => x - y)[Math.floor(xs.length / 2)]!;
  return [median(ta), median(tb)];
}

async function extractionThroughput(shape: TextShape, label: string, target?: number): Promise<BenchFigure> {
  const text = generateText(shape);
  const mb = Buffer.byteLength(text) / 2 ** 20;
  let distinct = 0;
  const [ours, baseline] = alternatingMedians(5, () => (distinct = extractIndicators(text, { includeSkipped: true }).length), () => combinedRegexCount(text));
  const rate = (ms: number) => mb / (ms / 1000);
  return {
    name: `IOC extraction, ${mb.toFixed(0)} MiB of log text, ${label}`,
    value: rate(ours),
    unit: 'MiB/s',
    baselineName: 'single combined-regex scan',
    baselineValue: rate(baseline),
    ratio: rate(ours) / rate(baseline),
    ...(target === undefined ? {} : { target }),
    note: `${distinct.toLocaleString('en-US')} distinct indicators after refang and validation`,
  };
}

const ROWS = 500_000;
const DISTINCT = 2_000;
const CACHED = 500;

/** The 2,000 indicators: public IPs, domains and SHA-256 hashes, all three kinds every provider answers. */
function benchIndicators(): Indicator[] {
  return Array.from({ length: DISTINCT }, (_, i): Indicator => {
    if (i % 3 === 0) return { type: 'ipv4', value: `45.${Math.floor(i / 250)}.${i % 250}.7` };
    if (i % 3 === 1) return { type: 'domain', value: `bad-${i}.net` };
    return { type: 'sha256', value: hex(i + 1, 64) };
  });
}

/** Lookups made for a 500k-row run with 2,000 distinct indicators, 500 of them already cached: one figure per provider. */
async function lookupsForLargeRun(): Promise<BenchFigure[]> {
  const dir = benchDir('enrich');
  const [vt, xf, otx] = await Promise.all([startVirusTotalFake(), startXForceFake(), startOtxFake()]);
  vt.answerUnknownWith = { harmless: 70, undetected: 20 };
  xf.answerUnknown = true;
  const db = openStore(path.join(dir, 'store'));
  try {
    const indicators = benchIndicators();
    const runId = insertRun(db, { huntId: 'bench', huntName: 'bench', connection: 'local', language: 'sql', query: 'x', parameters: {}, startedAt: new Date().toISOString() });
    const writer = new ResultWriter(db, runId);
    writer.setColumns([
      { name: 'TimeGenerated', type: 'datetime' }, { name: 'SrcIp', type: 'string' }, { name: 'Indicator', type: 'string' },
      { name: 'Message', type: 'string' }, { name: 'Bytes', type: 'long' },
    ]);
    for (let start = 0; start < ROWS; start += 5000) {
      const batch: StoredValue[][] = [];
      for (let i = start; i < start + 5000; i++) {
        const ind = indicators[(i * 7919) % DISTINCT]!;
        batch.push(['2026-03-10T12:00:00.000Z', `10.${i % 250}.${i % 7}.1`, ind.value, `seen ${ind.type} from host-${i % 300}.corp.local`, i]);
      }
      writer.write(batch);
    }
    finishRun(db, runId, { status: 'succeeded', endedAt: new Date(), rowCount: ROWS, warnings: [] });

    const cache = new EnrichmentCache(db);
    for (const p of providerIds) {
      for (const ind of indicators.slice(0, CACHED)) cache.put(p, ind, { found: true, verdict: 'harmless', score: 0, link: '', raw: null }, new Date(), 86_400_000);
    }
    const secrets = new MemorySecretStore();
    await secrets.set(providerSecretAccount('virustotal', 'apiKey'), 'vt-test-key');
    await secrets.set(providerSecretAccount('xforce', 'apiKey'), 'xf-key');
    await secrets.set(providerSecretAccount('xforce', 'apiPassword'), 'xf-password');
    await secrets.set(providerSecretAccount('otx', 'apiKey'), 'otx-test-key');
    const unlimited = { perMinute: null, perDay: null };
    const service = createEnrichmentService({
      db,
      secrets,
      settings: {
        providers: { virustotal: { baseUrl: vt.url, ...unlimited }, xforce: { baseUrl: xf.url, ...unlimited }, otx: { baseUrl: otx.url, ...unlimited } },
      },
    });
    const t0 = process.hrtime.bigint();
    const result = await service.enrichRun(runId);
    const seconds = Number(process.hrtime.bigint() - t0) / 1e9;
    const expected = DISTINCT - CACHED;
    const fakes = { virustotal: vt, xforce: xf, otx };
    return result.providers.map((p) => {
      const made = fakes[p.provider].requests.length;
      return {
        name: `lookups, ${ROWS.toLocaleString('en-US')} rows / ${DISTINCT.toLocaleString('en-US')} indicators / ${CACHED} cached (${p.provider})`,
        value: made,
        unit: 'lookups',
        baselineName: 'uncached distinct indicators',
        baselineValue: expected,
        ratio: Math.min(made, expected) / Math.max(made, expected),
        target: 1,
        note: `state ${p.state}; extraction and enrichment of the whole run took ${seconds.toFixed(1)} s`,
      };
    });
  } finally {
    db.close();
    await Promise.all([vt.close(), xf.close(), otx.close()]);
    fs.rmSync(dir, { recursive: true, force: true });
  }
}

export default async function enrichmentBench(): Promise<BenchFigure[]> {
  return [
    await extractionThroughput({ urls: 10_000, hashes: 5_000 }, '10k distinct URLs, 5k hashes', 0.5),
    // The worst case, for information: every URL and hash seen once, so each one is validated, never remembered.
    await extractionThroughput({ urls: null, hashes: null }, 'every URL and hash unique'),
    ...(await lookupsForLargeRun()),
  ];
}
