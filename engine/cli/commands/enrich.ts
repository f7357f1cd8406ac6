import fs from 'node:fs';
import type { Command } from 'commander';
import { withEngine, type GlobalOptions } from '../context.js';
import { collect } from '../setting-args.js';
import { printJson, printTable, plural, type CliIo } from '../output.js';
import { CliFailure } from '../failure.js';
import { QuarryError } from '../../errors.js';
import { readSecret } from '../../connections/secret-input.js';
import { credentialFields } from '../../../connectors/enrichers/types.js';
import { parseCidr } from '../../enrichment/ip-address.js';
import { providerIds, providerNames, type ProviderId } from '../../enrichment/settings.js';
import { readStoredEnrichmentSettings, setSettingPath, writeStoredEnrichmentSettings } from '../../enrichment/settings-file.js';
import type { EnrichProgress } from '../../enrichment/enrich-run.js';

/**
 * `quarry enrich <run>`, `quarry enrich key|settings|allowlist`, and
 * `quarry ioc lookup|extract|quota`. Everything but the settings file goes
 * through the engine API, as the app does.
 */

export { enrichmentSettingsFile } from '../../enrichment/settings-file.js';

function parseProvider(name: string): ProviderId {
  if (!providerIds.includes(name as ProviderId)) throw new QuarryError('invalid_input', `unknown provider "${name}"; known: ${providerIds.join(', ')}`);
  return name as ProviderId;
}

function parseProviders(names: string[]): ProviderId[] | undefined {
  return names.length === 0 ? undefined : names.map(parseProvider);
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

/** A value typed on the command line: JSON when it parses (15000, null, true, ["a"]), else the text itself. */
function settingValue(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return text;
  }
}

/** `--json` given to the subcommand or, as commander reads it, to `enrich` before it. */
const wantsJson = (cmd: Command): boolean => Boolean(cmd.optsWithGlobals<{ json?: boolean }>().json);

/**
 * The credentials of a provider, never from argv: on a terminal a prompt per
 * field with echo off; piped, one value per line (X-Force: key, then password).
 */
async function readCredentials(io: CliIo, provider: ProviderId, fields: readonly string[]): Promise<string[]> {
  if (io.isTTY) {
    const values: string[] = [];
    for (const f of fields) values.push(await readSecret(io, `${providerNames[provider]} ${f}: `));
    return values;
  }
  const lines = (await readSecret(io, `${providerNames[provider]} ${fields.join(' and ')}`)).split(/\r?\n/);
  if (lines.length !== fields.length || lines.some((l) => l === '')) {
    throw new QuarryError('invalid_input', `${providerNames[provider]} takes ${fields.join(' and ')}: pipe ${fields.length === 1 ? 'it' : 'one per line'} on standard input`);
  }
  return lines;
}

function progressLine(io: CliIo): ((p: EnrichProgress) => void) | null {
  if (!(io.stderr as { isTTY?: boolean }).isTTY) return null;
  return (p) => io.stderr.write(`\r${providerNames[p.provider]}: ${p.done}/${p.total} looked up\u001b[K${p.done === p.total ? '\n' : ''}`);
}

export function registerEnrichCommands(program: Command, io: CliIo): void {
  const global = (): GlobalOptions => program.opts<GlobalOptions>();

  const enrich = program
    .command('enrich')
    .argument('<run>', 'the run number')
    .description("look up a run's indicators with the configured threat-intel providers (resumes where it stopped); also: key, settings, allowlist")
    .option('--provider <id>', `only this provider (repeatable): ${providerIds.join(', ')}`, collect, [])
    .option('--reextract', 'extract the indicators again (e.g. after the allowlist changed)')
    .option('--no-wait', 'stop instead of waiting when a per-minute quota is used up')
    .option('--json', 'print JSON ({ result, indicators, rows })')
    .action((ref: string, opts: { provider: string[]; reextract?: boolean; wait: boolean; json?: boolean }) =>
      withEngine(global(), io, async ({ api }) => {
        const runId = parseRunId(ref);
        const providers = parseProviders(opts.provider);
        const onProgress = opts.json ? null : progressLine(io);
        const off = onProgress ? api.on('enrichment.progress', (p) => p.runId === runId && onProgress(p)) : () => {};
        let result;
        try {
          result = await api.enrichment.run({ runId, providers, reextract: opts.reextract, maxQuotaWaitMs: opts.wait ? undefined : 0 });
        } finally {
          off();
        }
        const { indicators } = await api.enrichment.indicators({ runId, limit: 100_000 });
        const rows = await api.enrichment.rowVerdicts({ runId, atLeast: 'suspicious' });
        if (opts.json) return printJson(io, { result, indicators, rows });
        io.stdout.write(`Run ${runId}: ${plural(result.indicators, 'indicator')} in ${plural(result.rowsScanned, 'row')}, ${result.sendable} may be looked up.\n`);
        printTable(io, ['PROVIDER', 'STATE', 'CALLS', 'DONE', 'CACHED', 'QUEUED', 'NOTE'], result.providers.map((p) => [
          providerNames[p.provider], p.state, p.calls, p.done, p.fromCache, p.queued, p.message ?? (p.retryAt ? `retry at ${p.retryAt}` : ''),
        ]));
        const flagged = indicators.filter((i) => i.verdict === 'malicious' || i.verdict === 'suspicious');
        if (flagged.length) {
          io.stdout.write('\n');
          printTable(io, ['VERDICT', 'TYPE', 'INDICATOR', 'ROWS'], flagged.map((i) => [i.verdict, i.type, i.value, i.rowCount]), 80);
          io.stdout.write(`\n${plural(rows.length, 'row')} hold a suspicious or malicious indicator.\n`);
        }
        if (result.findingsUpdated.length) {
          io.stdout.write(`Findings updated by the verdicts: ${result.findingsUpdated.join(', ')} (quarry findings show <id>).\n`);
        }
        if (result.providers.some((p) => p.state === 'auth_error' || p.state === 'network_error')) {
          throw new CliFailure('some providers failed; their lookups stay queued', true);
        }
      }),
    );

  const key = enrich.command('key').description("threat-intel API keys, kept in the OS keychain (never on disk, never shown)");

  key
    .command('set <provider>')
    .description('store a provider\'s API key: typed at a prompt that does not echo, or piped on standard input (X-Force: key and password, one per line)')
    .option('--field <name>', 'only this credential (X-Force: apiKey or apiPassword)')
    .action((name: string, opts: { field?: string }) =>
      withEngine(global(), io, async ({ api }) => {
        const provider = parseProvider(name);
        const fields = opts.field ? [opts.field] : credentialFields[provider];
        const values = await readCredentials(io, provider, fields);
        for (const [i, field] of fields.entries()) await api.enrichment.setKey({ provider, field, value: values[i]! });
        io.stdout.write(`${providerNames[provider]}: ${fields.join(' and ')} stored in the keychain.\n`);
      }),
    );

  key
    .command('clear <provider>')
    .description("delete a provider's API key from the keychain")
    .option('--field <name>', 'only this credential')
    .action((name: string, opts: { field?: string }) =>
      withEngine(global(), io, async ({ api }) => {
        const provider = parseProvider(name);
        const r = await api.enrichment.clearKey({ provider, field: opts.field });
        io.stdout.write(r.deleted ? `${providerNames[provider]}: ${plural(r.deleted, 'credential')} deleted from the keychain.\n` : `${providerNames[provider]}: nothing was stored.\n`);
      }),
    );

  key
    .command('list')
    .description('which providers have keys stored (names only)')
    .option('--json', 'print JSON')
    .action((_opts: unknown, cmd: Command) =>
      withEngine(global(), io, async ({ api }) => {
        const status = await api.enrichment.keys();
        if (wantsJson(cmd)) return printJson(io, status);
        printTable(io, ['PROVIDER', 'KEYS', 'ENABLED'], status.map((s) => [
          s.name, s.fields.map((f) => `${f.field}:${f.set ? 'set' : 'unset'}`).join(' '), s.enabled ? 'yes' : 'no',
        ]));
      }),
    );

  const settings = enrich
    .command('settings')
    .description('show the enrichment settings (base URLs, quotas, cache TTLs, allowlist) and the file they live in')
    .option('--json', 'print JSON')
    .action((_opts: unknown, cmd: Command) =>
      withEngine(global(), io, async ({ api }) => {
        const view = await api.enrichment.getSettings();
        if (wantsJson(cmd)) return printJson(io, view);
        const s = view.settings;
        const limit = (n: number | null) => (n === null ? 'no limit' : String(n));
        printTable(io, ['PROVIDER', 'ENABLED', 'BASE URL', 'PER MINUTE', 'PER DAY'], providerIds.map((id) => {
          const p = s.providers[id];
          return [providerNames[id], p.enabled ? 'yes' : 'no', p.baseUrl, limit(p.perMinute), limit(p.perDay)];
        }), 100);
        io.stdout.write(`\nCache: answers ${s.cacheTtlHours} h, "not found" ${s.notFoundTtlHours} h. Request timeout ${s.requestTimeoutMs} ms.\n`);
        io.stdout.write(`Allowlist (never sent): ${[...s.allowlist.domains, ...s.allowlist.cidrs].join(', ') || 'empty'}\n`);
        io.stdout.write(`File: ${view.file}\n`);
      }),
    );

  settings
    .command('set <name> <value>')
    .description('set one setting, e.g. providers.virustotal.perDay 15000 (a JSON value; null for no limit)')
    .action((name: string, value: string) =>
      withEngine(global(), io, async ({ engine }) => {
        const stored = setSettingPath(readStoredEnrichmentSettings(engine.dataDir), name, settingValue(value));
        writeStoredEnrichmentSettings(engine.dataDir, stored);
        io.stdout.write(`${name} set.\n`);
      }),
    );

  settings
    .command('unset <name>')
    .description('put one setting back to its default')
    .action((name: string) =>
      withEngine(global(), io, async ({ engine }) => {
        writeStoredEnrichmentSettings(engine.dataDir, setSettingPath(readStoredEnrichmentSettings(engine.dataDir), name, undefined));
        io.stdout.write(`${name} back to its default.\n`);
      }),
    );

  const allowlist = enrich.command('allowlist').description("your organisation's own domains and networks: never sent to any provider");

  allowlist
    .command('list')
    .option('--json', 'print JSON')
    .action((_opts: unknown, cmd: Command) =>
      withEngine(global(), io, async ({ api }) => {
        const { allowlist: a } = (await api.enrichment.getSettings()).settings;
        if (wantsJson(cmd)) return printJson(io, a);
        printTable(io, ['KIND', 'ENTRY'], [...a.domains.map((d) => ['domain', d]), ...a.cidrs.map((c) => ['network', c])]);
      }),
    );

  for (const [verb, adding] of [['add', true], ['remove', false]] as const) {
    allowlist
      .command(`${verb} <entries...>`)
      .description(adding ? 'add domains (subdomains included) or networks (CIDR or single addresses)' : 'remove entries')
      .action((entries: string[]) =>
        withEngine(global(), io, async ({ api }) => {
          const { allowlist: a } = (await api.enrichment.getSettings()).settings;
          const domains = new Set(a.domains);
          const cidrs = new Set(a.cidrs);
          for (const entry of entries.map((e) => e.trim()).filter(Boolean)) {
            const set = parseCidr(entry) ? cidrs : domains;
            if (adding) set.add(entry);
            else if (!set.delete(entry)) throw new QuarryError('not_found', `allowlist entry not found: ${entry}`);
          }
          await api.enrichment.setSettings({ settings: { allowlist: { domains: [...domains], cidrs: [...cidrs] } } });
          io.stdout.write(`Allowlist: ${plural(domains.size, 'domain')}, ${plural(cidrs.size, 'network')}. Runs enriched before keep their extraction; use enrich <run> --reextract.\n`);
        }),
      );
  }

  const ioc = program.command('ioc').description('indicators of compromise: look up, extract, quotas');

  ioc
    .command('lookup <value>')
    .description('look one indicator up with every configured provider (defanged forms accepted)')
    .option('--provider <id>', 'only this provider (repeatable)', collect, [])
    .option('--json', 'print JSON, raw answers included')
    .action((value: string, opts: { provider: string[]; json?: boolean }) =>
      withEngine(global(), io, async ({ api }) => {
        const r = await api.enrichment.lookup({ value, providers: parseProviders(opts.provider) });
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
      withEngine(global(), io, async ({ api }) => {
        const found = await api.enrichment.extract({ text: await readInput(io, file), includeSkipped: opts.includeSkipped });
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
      withEngine(global(), io, async ({ api }) => {
        const status = await api.enrichment.quota();
        if (opts.json) return printJson(io, status);
        const left = (w: { limit: number | null; remaining: number | null }) => (w.limit === null ? 'no limit' : `${w.remaining}/${w.limit}`);
        printTable(io, ['PROVIDER', 'THIS MINUTE', 'TODAY (UTC)', 'BLOCKED UNTIL'], status.map((s) => [
          s.enabled ? s.name : `${s.name} (disabled)`, left(s.perMinute), left(s.perDay), s.blockedUntil ?? '',
        ]));
      }),
    );
}
