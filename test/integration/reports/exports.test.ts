import fs from 'node:fs';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import type { Engine } from '../../../engine/engine.js';
import { createDispatcher } from '../../../engine/dispatch.js';
import type { ReportExportResult } from '../../../engine/reports/api.js';
import { tempDir } from '../../helpers/temp-dir.js';
import { createReportWorld, huntInput, payloads, type ReportWorld } from './fixture.js';
import { parsePattern, validateStixBundle } from './stix-validator.js';
import { parseCsv } from './csv.js';

let engine: Engine | undefined;
afterEach(() => engine?.close());

async function world(): Promise<ReportWorld & { exportTo(format: string, name: string, target?: object): Promise<{ result: ReportExportResult; text: string }> }> {
  const w = await createReportWorld();
  engine = w.engine;
  const dir = tempDir('quarry-export-');
  const call = createDispatcher(w.engine);
  return {
    ...w,
    async exportTo(format, name, target = { runId: w.runId }) {
      const file = path.join(dir, name);
      const result = (await call('reports.export', { target, format, path: file })) as ReportExportResult;
      return { result, text: fs.readFileSync(file, 'utf8') };
    },
  };
}

describe('data exports', () => {
  it('writes CSV per RFC 4180 with formula-like cells neutralised', async () => {
    const w = await world();
    const { result, text } = await w.exportTo('csv', 'rows.csv');
    expect(result).toMatchObject({ format: 'csv', rows: 244 });
    const rows = parseCsv(text);
    expect(rows[0]).toEqual(['TimeGenerated', 'UserPrincipalName', 'IPAddress', 'ResultType', 'AppDisplayName', 'UserAgent']);
    expect(rows).toHaveLength(245);
    const cells = rows.flat();
    // Every cell a spreadsheet would evaluate now starts with a quote, and keeps its text after it.
    for (const p of [payloads.formula, payloads.plus, payloads.at, payloads.minus]) expect(cells).toContain(`'${p}`);
    expect(cells.filter((c) => /^[=+\-@\t\r]/.test(c))).toEqual([]);
    expect(cells).toContain(payloads.script);
    expect(cells).toContain(payloads.quoteUrl);
  });

  it('writes JSON and JSON Lines with typed values', async () => {
    const w = await world();
    const json = JSON.parse((await w.exportTo('json', 'rows.json')).text) as Array<Record<string, unknown>>;
    expect(json).toHaveLength(244);
    expect(json[1]).toMatchObject({ TimeGenerated: '2026-01-05T05:58:00.000Z', UserPrincipalName: payloads.script, ResultType: 50126 });
    const { result, text } = await w.exportTo('jsonl', 'rows.jsonl');
    expect(result.rows).toBe(244);
    const lines = text.trimEnd().split('\n').map((l) => JSON.parse(l) as Record<string, unknown>);
    expect(lines).toHaveLength(244);
    expect(lines[3]).toMatchObject({ AppDisplayName: payloads.minus, UserAgent: payloads.quoteUrl });
  });

  it('writes Timesketch JSON Lines: message, ISO 8601 datetime and timestamp_desc on every line, untimed rows skipped and counted', async () => {
    const w = await world();
    const { result, text } = await w.exportTo('timesketch', 'timeline.jsonl');
    expect(result).toMatchObject({ format: 'timesketch', rows: 243, skipped: 1 });
    const events = text.trimEnd().split('\n').map((l) => JSON.parse(l) as Record<string, unknown>);
    expect(events).toHaveLength(243);
    for (const e of events) {
      expect(typeof e.message).toBe('string');
      expect(e.message).not.toBe('');
      expect(e.datetime).toMatch(/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d+)?(Z|[+-]\d{2}:\d{2})$/);
      expect(e.timestamp_desc).toBe('TimeGenerated');
      expect(e.timestamp).toBe(Date.parse(e.datetime as string) * 1000);
    }
    const first = events[0]!;
    expect(first).toMatchObject({ datetime: '2026-01-05T05:58:00.000+00:00', UserPrincipalName: payloads.script, IPAddress: '203.0.113.7', quarry_run: w.runId, quarry_hunt: huntInput.name });
    // The entity columns lead the message.
    expect(first.message).toBe(`${huntInput.name}: UserPrincipalName=${payloads.script} IPAddress=203.0.113.7 ResultType=50126 AppDisplayName=${payloads.img} UserAgent=${payloads.formula}`);
    expect(events.every((e) => e.UserPrincipalName !== 'nobody@contoso.example')).toBe(true);
  });

  it('rejects a row export of a period and leaves no partial file when an export fails', async () => {
    const w = await world();
    const call = createDispatcher(w.engine);
    const dir = tempDir('quarry-export-');
    await expect(call('reports.export', { target: { from: '2020-01-01T00:00:00Z', to: '2030-01-01T00:00:00Z' }, format: 'csv', path: path.join(dir, 'x.csv') }))
      .rejects.toThrow(/csv, json and jsonl export one run/);
    await expect(call('reports.export', { target: { runId: 999 }, format: 'csv', path: path.join(dir, 'x.csv') })).rejects.toThrow(/run not found: 999/);
    expect(fs.readdirSync(dir)).toEqual([]);
  });
});

describe('STIX 2.1', () => {
  it('exports the run’s indicators as a valid bundle with verdicts and ATT&CK', async () => {
    const w = await world();
    const { result, text } = await w.exportTo('stix', 'iocs.json');
    expect(result).toMatchObject({ format: 'stix', indicators: 6, skipped: 1 });
    const bundle = JSON.parse(text) as { id: string; objects: Array<Record<string, unknown>> };
    expect(validateStixBundle(bundle)).toEqual([]);

    const indicators = bundle.objects.filter((o) => o.type === 'indicator');
    const byPattern = new Map(indicators.map((o) => [o.pattern as string, o]));
    expect([...byPattern.keys()].sort()).toEqual([
      "[domain-name:value = 'evil.example']",
      "[file:hashes.'SHA-256' = 'e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855']",
      "[ipv4-addr:value = '198.51.100.23']",
      "[ipv4-addr:value = '203.0.113.7']",
      "[ipv4-addr:value = '203.0.113.99']",
      "[url:value = 'http://evil.example/a\\'b\\\\c']",
    ]);
    // Quotes and backslashes survive the round trip through the pattern grammar.
    const url = indicators.find((o) => String(o.pattern).startsWith('[url'))!;
    expect(parsePattern(url.pattern as string)[0]!.value).toBe(payloads.quoteUrl);

    const spray = byPattern.get("[ipv4-addr:value = '203.0.113.7']")!;
    expect(spray).toMatchObject({
      indicator_types: ['malicious-activity'],
      pattern_type: 'stix',
      kill_chain_phases: [{ kill_chain_name: 'mitre-attack', phase_name: 'credential-access' }, { kill_chain_name: 'mitre-attack', phase_name: 'initial-access' }],
    });
    expect(spray.external_references).toEqual(expect.arrayContaining([
      { source_name: 'mitre-attack', external_id: 'T1110.003', url: 'https://attack.mitre.org/techniques/T1110/003/' },
      expect.objectContaining({ source_name: 'VirusTotal', url: 'https://www.virustotal.com/gui/ip-address/203.0.113.7' }),
    ]));
    expect(byPattern.get("[ipv4-addr:value = '198.51.100.23']")!.indicator_types).toEqual(['anomalous-activity']);
    expect(byPattern.get("[file:hashes.'SHA-256' = 'e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855']")!.indicator_types).toEqual(['benign']);
    // The private address never leaves the machine; the javascript: "link" is not a reference.
    expect(text).not.toContain('10.0.0.5');
    expect(text).not.toContain('javascript:');
    const identity = bundle.objects.find((o) => o.type === 'identity')!;
    expect(indicators.every((o) => o.created_by_ref === identity.id)).toBe(true);

    // Indicator ids are a function of the value; each bundle is new.
    const again = JSON.parse((await w.exportTo('stix', 'again.json')).text) as typeof bundle;
    expect(again.id).not.toBe(bundle.id);
    expect(again.objects.map((o) => o.id).sort()).toEqual(bundle.objects.map((o) => o.id).sort());
  });

  it('exports a finding’s and a period’s indicators, and validator catches broken bundles', async () => {
    const w = await world();
    const finding = JSON.parse((await w.exportTo('stix', 'f.json', { findingId: w.findingId })).text);
    expect(validateStixBundle(finding)).toEqual([]);
    const period = JSON.parse((await w.exportTo('stix', 'p.json', { from: '2020-01-01T00:00:00Z', to: '2099-01-01T00:00:00Z' })).text);
    expect(validateStixBundle(period)).toEqual([]);
    expect(period.objects).toHaveLength(7);

    // The validator is not a rubber stamp.
    const broken = structuredClone(period);
    broken.id = 'bundle--not-a-uuid';
    broken.objects[1].created = '2026-01-05T10:00:00Z';
    broken.objects[2].pattern = "[ipv4-addr:value = 'a'b']";
    broken.objects[3].pattern_type = 'sigma';
    delete broken.objects[4].valid_from;
    expect(validateStixBundle(broken)).toEqual([
      'bundle.id bundle--not-a-uuid is not bundle--<uuid>',
      expect.stringContaining('created 2026-01-05T10:00:00Z is not a millisecond-precision UTC timestamp'),
      expect.stringContaining("expected ']'"),
      expect.stringContaining('pattern_type must be "stix"'),
      expect.stringContaining('valid_from is required'),
    ]);
  });
});

describe('Markdown', () => {
  it('summarises the run with attacker text confined to code spans', async () => {
    const w = await world();
    const { text } = await w.exportTo('md', 'summary.md');
    expect(text.startsWith(`# ${huntInput.name}\n`)).toBe(true);
    expect(text).toContain('returned 244 rows');
    expect(text).toContain('| **malicious** | ipv4 | `203.0.113.7` | 150 | [AlienVault OTX](<https://otx.alienvault.com/indicator/ip/203.0.113.7>): suspicious, [VirusTotal](<https://www.virustotal.com/gui/ip-address/203.0.113.7>): malicious |');
    expect(text).toContain('[SEC-42](<https://contoso.atlassian.example/browse/SEC-42>)');
    expect(text).toContain('- TA0006 Credential Access: <https://attack.mitre.org/tactics/TA0006/>');
    // Each payload appears only inside a code span, pipes escaped so table rows stay whole.
    expect(text).toContain('`<script>window.__pwned = 1</script>`');
    expect(text).toContain('`+cmd\\|\' /C calc\'!A0`');
    expect(text.replace(/`[^`\n]*`/g, '')).not.toMatch(/<script|<img|onerror/);
    expect(text).not.toContain('javascript:');
    for (const line of text.split('\n').filter((l) => l.startsWith('| `2026'))) {
      expect(line.replace(/\\\|/g, '').split('|')).toHaveLength(8);
    }
  });
});

describe('reports.export', () => {
  it('returns html, md and stix as text, and writes other formats only to an absolute path of the right kind', async () => {
    const w = await world();
    const call = createDispatcher(w.engine);
    const html = (await call('reports.export', { target: { runId: w.runId }, format: 'html' })) as ReportExportResult;
    expect(html).toMatchObject({ format: 'html', path: null });
    expect(html.text).toContain(`<h1>${huntInput.name}</h1>`);
    expect(html.bytes).toBe(Buffer.byteLength(html.text!));
    const md = (await call('reports.export', { target: { findingId: String(w.findingId) }, format: 'md' })) as ReportExportResult;
    expect(md.text).toContain(`# ${huntInput.name}: 203.0.113.7`);

    const dir = tempDir('quarry-export-');
    await expect(call('reports.export', { target: { runId: w.runId }, format: 'csv' })).rejects.toThrow(/a csv export needs a path/);
    await expect(call('reports.export', { target: { runId: w.runId }, format: 'pdf' })).rejects.toThrow(/a pdf export needs a path/);
    await expect(call('reports.export', { target: { runId: w.runId }, format: 'csv', path: 'rows.csv' })).rejects.toThrow(/path must be absolute/);
    await expect(call('reports.export', { target: { runId: w.runId }, format: 'html', path: path.join(dir, '.bashrc') })).rejects.toThrow(/ending in \.html or \.htm/);
    await expect(call('reports.export', { target: { runId: w.runId }, format: 'docx', path: path.join(dir, 'x.docx') })).rejects.toThrow(/format/);
    await expect(call('reports.export', { target: { findingId: '424242' }, format: 'md' })).rejects.toThrow(/finding not found: 424242/);
    await expect(call('reports.export', { target: { from: '2026-02-01T00:00:00Z', to: '2026-01-01T00:00:00Z' }, format: 'md' })).rejects.toThrow(/must end after it starts/);
    expect(fs.readdirSync(dir)).toEqual([]);
  });
});
