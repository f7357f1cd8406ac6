import fs from 'node:fs';
import path from 'node:path';
import type { Command } from 'commander';
import { withEngine, type GlobalOptions } from '../context.js';
import { printJson, printTable, plural, type CliIo } from '../output.js';
import { CliFailure } from '../failure.js';
import type { Engine } from '../../engine.js';
import { QuarryError } from '../../errors.js';
import { createEnrichmentService, type EnrichmentService } from '../../enrichment/service.js';
import { providerIds, providerNames, type ProviderId } from '../../enrichment/settings.js';

/**
 * `quarry enrich <run>`, `quarry ioc lookup|extract|quota`. Register with
 * `registerEnrichCommands(program, io)` in cli/main.ts.
 */

/** Where the CLI reads enrichment settings until they are stored with the engine's other settings. */
export const enrichmentSettingsFile = (dataDir: string): string => path.join(dataDir, 'enrichment.json');

function openEnrichment(engine: Engine): EnrichmentService {
  const file = enrichmentSettingsFile(engine.dataDir);
  let settings: unknown = {};
  if (fs.existsSync(file)) {
    try {
      settings = JSON.parse(fs.readFileSync(file, 'utf8'));
    } catch (err) {
      throw new QuarryError('invalid_input', `${file} is not valid JSON: ${(err as Error).message}`);
    }
  }
  return createEnrichmentService({ db: engine.db, secrets: engine.secrets, clock: engine.clock, settings: settings as object });
}

const collect = (value: string, previous: string[]): string[] => [...previous, value];

function parseProviders(names: string[]): ProviderId[] | undefined {
  if (names.length === 0) return undefined;
  for (const n of names) {
    if (!providerIds.includes(n as ProviderId)) throw new QuarryError('invalid_input', `unknown provider "${n}"; known: ${providerIds.join(', ')}`);
  }
  return names as ProviderId[];
}

function parseRunId(text: string): number {
  const id = Number(text);
  if (!Number.isSafeInteger(id) || id <= 0) throw new QuarryError('invalid_input', `a run is named by its number, got "${text}"`);
  return id;
}

async function readInput(io: CliIo, source: string): Promise<string> {
  if (source !== '-') return fs.promises.readFile(source, 'utf8');
  const chunks: Buffer[] = [];
  for await (const chunk of io.stdin) chunks.push(typeof chunk === 'string' ? Buffer.from(chunk) : chunk);
  return Buffer.concat(chunks).toString('utf8');
}

export function registerEnrichCommands(program: Command, io: CliIo): void {
  const global = (): GlobalOptions => program.opts<GlobalOptions>();

  program
    .command('enrich <run>')
    .description("look up a run's indicators with the configured threat-intel providers (resumes where it stopped)")
    .option('--provider <id>', `only this provider (repeatable): ${providerIds.join(', ')}`, collect, [])
    .option('--reextract', 'extract the indicators again (e.g. after the allowlist changed)')
    .option('--no-wait', 'stop instead of waiting when a per-minute quota is used up')
    .option('--json', 'print JSON ({ result, verdicts })')
    .action((ref: string, opts: { provider: string[]; reextract?: boolean; wait: boolean; json?: boolean }) =>
      withEngine(global(), io, async ({ engine }) => {
        const service = openEnrichment(engine);
        const runId = parseRunId(ref);
        const result = await service.enrichRun(runId, {
          providers: parseProviders(opts.provider),
          reextract: opts.reextract,
          maxQuotaWaitMs: opts.wait ? undefined : 0,
        });
        const verdicts = service.verdictsForRun(runId);
        if (opts.json) return printJson(io, { result, verdicts });
        io.stdout.write(`Run ${runId}: ${plural(result.indicators, 'indicator')} in ${plural(result.rowsScanned, 'row')}, ${result.sendable} may be looked up.\n`);
        printTable(io, ['PROVIDER', 'STATE', 'CALLS', 'DONE', 'CACHED', 'QUEUED', 'NOTE'], result.providers.map((p) => [
          providerNames[p.provider], p.state, p.calls, p.done, p.fromCache, p.queued, p.message ?? (p.retryAt ? `retry at ${p.retryAt}` : ''),
        ]));
        const flagged = verdicts.indicators.filter((i) => i.verdict === 'malicious' || i.verdict === 'suspicious');
        if (flagged.length) {
          io.stdout.write('\n');
          printTable(io, ['VERDICT', 'TYPE', 'INDICATOR', 'ROWS'], flagged.map((i) => [i.verdict, i.type, i.value, i.rowCount]), 80);
          io.stdout.write(`\n${plural(verdicts.rows.length, 'row')} hold a suspicious or malicious indicator.\n`);
        }
        if (result.providers.some((p) => p.state === 'auth_error' || p.state === 'network_error')) {
          throw new CliFailure('some providers failed; their lookups stay queued', true);
        }
      }),
    );

  const ioc = program.command('ioc').description('indicators of compromise: look up, extract, quotas');

  ioc
    .command('lookup <value>')
    .description('look one indicator up with every configured provider (defanged forms accepted)')
    .option('--provider <id>', 'only this provider (repeatable)', collect, [])
    .option('--json', 'print JSON, raw answers included')
    .action((value: string, opts: { provider: string[]; json?: boolean }) =>
      withEngine(global(), io, async ({ engine }) => {
        const r = await openEnrichment(engine).lookup(value, { providers: parseProviders(opts.provider) });
        if (opts.json) return printJson(io, r);
        if (r.skipped) return void io.stdout.write(`${r.indicator.value} is ${r.skipped === 'allowlisted' ? 'allowlisted' : 'not public'}: not sent to any provider.\n`);
        io.stdout.write(`${r.indicator.type} ${r.indicator.value}: ${r.verdict}\n`);
        printTable(io, ['PROVIDER', 'STATUS', 'VERDICT', 'SCORE', 'LINK / NOTE'], r.results.map((x) => [
          providerNames[x.provider], x.fromCache ? `${x.status} (cached)` : x.status, x.answer?.verdict ?? '', x.answer?.score ?? '',
          x.answer ? (x.answer.found ? x.answer.link : `not found; ${x.answer.link}`) : (x.message ?? ''),
        ]), 100);
      }),
    );

  ioc
    .command('extract <file>')
    .description('list the indicators in a text file (or - for standard input), refanged and filtered')
    .option('--include-skipped', 'also list private, reserved and allowlisted ones, with the reason')
    .option('--json', 'print JSON')
    .action((file: string, opts: { includeSkipped?: boolean; json?: boolean }) =>
      withEngine(global(), io, async ({ engine }) => {
        const found = openEnrichment(engine).extractFromText(await readInput(io, file), { includeSkipped: opts.includeSkipped });
        if (opts.json) return printJson(io, found);
        if (!found.length) return void io.stdout.write('No indicators found.\n');
        const headers = opts.includeSkipped ? ['TYPE', 'INDICATOR', 'COUNT', 'SKIPPED'] : ['TYPE', 'INDICATOR', 'COUNT'];
        printTable(io, headers, found.map((i) => [i.type, i.value, i.count, ...(opts.includeSkipped ? [i.skip ?? ''] : [])]), 100);
      }),
    );

  ioc
    .command('quota')
    .description('calls left per provider today and this minute')
    .option('--json', 'print JSON')
    .action((opts: { json?: boolean }) =>
      withEngine(global(), io, async ({ engine }) => {
        const status = openEnrichment(engine).quotaStatus();
        if (opts.json) return printJson(io, status);
        const left = (w: { limit: number | null; remaining: number | null }) => (w.limit === null ? 'no limit' : `${w.remaining}/${w.limit}`);
        printTable(io, ['PROVIDER', 'THIS MINUTE', 'TODAY (UTC)', 'BLOCKED UNTIL'], status.map((s) => [
          s.enabled ? s.name : `${s.name} (disabled)`, left(s.perMinute), left(s.perDay), s.blockedUntil ?? '',
        ]));
      }),
    );
}
