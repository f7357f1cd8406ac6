import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { quarry } from '../../helpers/cli.js';
import { tempDir } from '../../helpers/temp-dir.js';
import { createReportWorld, huntInput } from './fixture.js';
import { validateStixBundle } from './stix-validator.js';
import { pdfPages, pdfText } from './pdf-text.js';

/** A data dir holding the report world, closed so that the CLI opens it as a user would. */
async function dataDir(): Promise<{ data: string; runId: number; findingId: number }> {
  const w = await createReportWorld();
  const data = w.engine.dataDir;
  w.engine.close();
  return { data, runId: w.runId, findingId: w.findingId };
}

describe('quarry export', () => {
  it('prints a PDF of the hunt report that reads as the report (pdftotext)', { timeout: 60_000 }, async () => {
    const { data, runId } = await dataDir();
    const out = path.join(tempDir('quarry-cli-export-'), 'report.pdf');
    const r = await quarry(['--data-dir', data, 'export', String(runId), '--format', 'pdf', '--out', out]);
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/^Wrote .*report\.pdf \([\d.]+ KB\): pdf report\.\n$/);
    expect(fs.readFileSync(out).subarray(0, 5).toString()).toBe('%PDF-');
    const pages = pdfPages(out);
    expect(pages).toBeGreaterThanOrEqual(2);
    const text = pdfText(out).replace(/\s+/g, ' ');
    expect(text).toMatch(new RegExp(`Quarry hunt report 1 ?/ ?${pages}`)); // the page footer
    for (const expected of [
      huntInput.name, 'HUNT REPORT', 'returned 244 rows', 'Hunt and query', 'Timeline', 'Top entities',
      'Indicators and threat intelligence', '203.0.113.7', 'Malicious', 'INC0012345', 'SEC-42', 'T1110.003',
      'https://attack.mitre.org/techniques/T1110/003/', 'Result sample', '<script>window.__pwned =',
    ]) expect(text, expected).toContain(expected);
  });

  it('exports every format from the command line, to files and to standard output', { timeout: 120_000 }, async () => {
    const { data, runId, findingId } = await dataDir();
    const dir = tempDir('quarry-cli-export-');
    const q = (...args: string[]) => quarry(['--data-dir', data, ...args]);

    const files: Record<string, string> = { html: 'r.html', csv: 'r.csv', json: 'r.json', jsonl: 'r.jsonl', stix: 'r.stix.json', timesketch: 'r.ts.jsonl', md: 'r.md' };
    const expected: Record<string, RegExp> = {
      html: /: html report\.$/m, csv: /: 244 rows\.$/m, json: /: 244 rows\.$/m, jsonl: /: 244 rows\.$/m,
      stix: /: 6 indicators; 1 indicator kept out/m, timesketch: /: 243 events; 1 row without a time skipped\.$/m, md: /: md report\.$/m,
    };
    for (const [format, name] of Object.entries(files)) {
      const r = await q('export', String(runId), '--format', format, '--out', path.join(dir, name));
      expect(r.code, `${format}: ${r.stderr}`).toBe(0);
      expect(r.stdout).toMatch(expected[format]!);
      expect(fs.statSync(path.join(dir, name)).size).toBeGreaterThan(100);
    }
    expect(validateStixBundle(JSON.parse(fs.readFileSync(path.join(dir, 'r.stix.json'), 'utf8')))).toEqual([]);

    // Standard output, a finding by id, a period by dates.
    const md = await q('export', `finding:${findingId}`, '--format', 'md');
    expect(md.code).toBe(0);
    expect(md.stdout).toContain(`# ${huntInput.name}: 203\\.0\\.113\\.7`.replace(/\\/g, ''));
    const period = await q('export', '--from', '2000-01-01', '--to', '2099-12-31', '--format', 'html');
    expect(period.code).toBe(0);
    expect(period.stdout).toContain('<h1>Threat hunting report</h1>');
    const csv = await q('export', String(runId), '--format', 'csv');
    expect(csv.stdout.split('\r\n')[0]).toBe('TimeGenerated,UserPrincipalName,IPAddress,ResultType,AppDisplayName,UserAgent');

    // Mistakes are errors (exit 1) that say what to do.
    expect(await q('export', String(runId), '--format', 'docx')).toMatchObject({ code: 1, stderr: expect.stringContaining('unknown format "docx"') });
    expect(await q('export', '999', '--format', 'md')).toMatchObject({ code: 1, stderr: 'quarry: run not found: 999\n' });
    expect(await q('export', 'finding:424242', '--format', 'md')).toMatchObject({ code: 1, stderr: 'quarry: finding not found: 424242\n' });
    expect(await q('export', '--from', '2026-01-01', '--format', 'md')).toMatchObject({ code: 1, stderr: expect.stringContaining('needs both --from and --to') });
    expect(await q('export', '--from', '2000-01-01', '--to', '2099-12-31', '--format', 'csv')).toMatchObject({ code: 1, stderr: expect.stringContaining('one run') });
  });
});
