import fs from 'node:fs';
import path from 'node:path';
import { PassThrough, Readable } from 'node:stream';
import { Command } from 'commander';
import { describe, expect, it } from 'vitest';
import { registerEnrichCommands, enrichmentSettingsFile } from '../../../engine/cli/commands/enrich.js';
import { Engine } from '../../../engine/engine.js';
import { insertRun, finishRun } from '../../../engine/runs/run-repo.js';
import { ResultWriter } from '../../../engine/runs/result-store.js';
import { tempDir } from '../../helpers/temp-dir.js';

/** Runs the enrichment commands in-process, as cli/main.ts will once it registers them. */
async function cli(dataDir: string, args: string[], stdin = ''): Promise<{ stdout: string; error: unknown }> {
  const stdout = new PassThrough();
  let out = '';
  stdout.on('data', (d: Buffer) => (out += d.toString()));
  const io = { stdout, stderr: new PassThrough(), stdin: Readable.from([stdin]), isTTY: false };
  const program = new Command('quarry').option('--data-dir <dir>').exitOverride();
  registerEnrichCommands(program, io);
  let error: unknown = null;
  await program.parseAsync(['node', 'quarry', '--data-dir', dataDir, ...args]).catch((err: unknown) => (error = err));
  return { stdout: out, error };
}

async function dataDirWithRun(): Promise<{ dataDir: string; runId: number }> {
  const dataDir = tempDir('quarry-enrich-cli-');
  const engine = await Engine.open({ dataDir, sampleData: false });
  const runId = insertRun(engine.db, { huntId: 'h', huntName: 'h', connection: 'local', language: 'sql', query: 'x', parameters: {}, startedAt: new Date().toISOString() });
  const w = new ResultWriter(engine.db, runId);
  w.setColumns([{ name: 'Message', type: 'string' }]);
  w.write([['beacon to 185.220.101.4 and 10.0.0.1'], ['again 185.220.101.4']]);
  finishRun(engine.db, runId, { status: 'succeeded', endedAt: new Date(), rowCount: 2, warnings: [] });
  engine.close();
  return { dataDir, runId };
}

describe('enrichment CLI commands', () => {
  it('ioc extract reads standard input or a file, refangs, filters, and prints JSON', async () => {
    const { dataDir } = await dataDirWithRun();
    const text = 'C2 hxxps://update-check[.]xyz/gate.php and 10.1.1.1, 45.33.32.156 twice: 45.33.32.156';
    const table = await cli(dataDir, ['ioc', 'extract', '-'], text);
    expect(table.error).toBeNull();
    expect(table.stdout.split('\n')[0]).toMatch(/^TYPE\s+INDICATOR\s+COUNT$/);
    expect(table.stdout).toMatch(/ipv4\s+45\.33\.32\.156\s+2/);
    expect(table.stdout).not.toContain('10.1.1.1');

    const file = path.join(tempDir(), 'report.txt');
    fs.writeFileSync(file, text);
    const json = await cli(dataDir, ['ioc', 'extract', file, '--json', '--include-skipped']);
    expect(JSON.parse(json.stdout)).toContainEqual({ type: 'ipv4', value: '10.1.1.1', count: 1, skip: 'non_public' });
    expect(JSON.parse(json.stdout)).toContainEqual({ type: 'url', value: 'https://update-check.xyz/gate.php', count: 1, skip: null });
  });

  it('ioc lookup refuses internal values and reports providers without keys; ioc quota shows the limits from the settings file', async () => {
    const { dataDir } = await dataDirWithRun();
    fs.writeFileSync(enrichmentSettingsFile(dataDir), JSON.stringify({ providers: { virustotal: { perDay: 1000 } } }));
    expect((await cli(dataDir, ['ioc', 'lookup', '10[.]0.0.1'])).stdout).toBe('10.0.0.1 is not public: not sent to any provider.\n');
    const lookup = JSON.parse((await cli(dataDir, ['ioc', 'lookup', 'update-check[.]xyz', '--json'])).stdout);
    expect(lookup.results.map((r: { status: string }) => r.status)).toEqual(['not_configured', 'not_configured', 'not_configured']);
    const quota = JSON.parse((await cli(dataDir, ['ioc', 'quota', '--json'])).stdout);
    expect(quota[0]).toMatchObject({ provider: 'virustotal', perMinute: { limit: 4 }, perDay: { limit: 1000, remaining: 1000 } });
  });

  it('enrich extracts a run and reports each provider; bad input is an error naming it', async () => {
    const { dataDir, runId } = await dataDirWithRun();
    const r = await cli(dataDir, ['enrich', String(runId)]);
    expect(r.error).toBeNull();
    expect(r.stdout).toContain(`Run ${runId}: 2 indicators in 2 rows, 1 may be looked up.`);
    expect(r.stdout).toMatch(/VirusTotal\s+not_configured/);
    expect(((await cli(dataDir, ['enrich', String(runId), '--provider', 'shodan'])).error as Error).message).toMatch(/unknown provider "shodan"/);
    expect(((await cli(dataDir, ['enrich', 'abc'])).error as Error).message).toMatch(/a run is named by its number/);
  });
});
