import type { Command } from 'commander';
import { withEngine, type GlobalOptions } from '../context.js';
import { printJson, printTable, plural, type CliIo } from '../output.js';
import { QuarryError } from '../../errors.js';
import { readSecret } from '../../connections/secret-input.js';
import { severities, type Severity } from '../../types.js';
import { findingsService } from '../../findings/service.js';
import { collect, parseSettingArgs } from '../setting-args.js';
import { getSink, kindEntry } from '../../findings/sink-registry.js';
import type { Route, RouteInput } from '../../findings/routing.js';
import type { Engine } from '../../engine.js';
import { sinkKinds, type SinkKind } from '../../../connectors/sinks/types.js';

/**
 * `quarry sinks add|list|test|remove|route|unroute`. Settings come from options; secrets
 * (passwords, API tokens, routing keys, webhook URLs) only from standard
 * input or a prompt that does not echo, never from the command line.
 */

/** Where --url goes for each kind (webhook sinks have no base URL: the whole URL is their secret). */
const urlSetting: Partial<Record<SinkKind, string>> = { servicenow: 'instanceUrl', jira: 'baseUrl', pagerduty: 'baseUrl' };

const secretPrompt: Record<string, string> = {
  password: 'password',
  accessToken: 'OAuth access token',
  apiToken: 'API token',
  routingKey: 'integration (routing) key',
  webhookUrl: 'webhook URL',
};

interface RouteOptions {
  minSeverity?: string;
  tag: string[];
  tactic: string[];
  hunt: string[];
}

const routeOptions = (cmd: Command): Command =>
  cmd
    .option('--min-severity <severity>', `route findings of at least this severity: ${severities.join(', ')}`)
    .option('--tag <tag>', 'route findings of hunts with this tag (repeatable)', collect, [])
    .option('--tactic <tactic>', 'route findings of hunts with this ATT&CK tactic (repeatable)', collect, [])
    .option('--hunt <hunt>', 'route findings of this hunt, by id or exact name (repeatable)', collect, []);

const wantsRoute = (opts: RouteOptions): boolean => Boolean(opts.minSeverity || opts.tag.length || opts.tactic.length || opts.hunt.length);

function checkSeverity(value: string | undefined): Severity | undefined {
  if (value && !severities.includes(value as Severity)) throw new QuarryError('invalid_input', `unknown severity "${value}" (use ${severities.join(', ')})`);
  return value as Severity | undefined;
}

/** The routes as they are, with `change` applied to one sink's: its routes dropped, then `add` appended. */
function routesWith(engine: Engine, sinkId: string, change: { drop: boolean; add: RouteOptions | null }): RouteInput[] {
  const kept = findingsService(engine).listRoutes().filter((r) => !(change.drop && r.sinkId === sinkId));
  const routes: RouteInput[] = kept.map((r) => ({ sink: r.sinkId, minSeverity: r.minSeverity, tags: r.tags, tactics: r.tactics, hunts: r.hunts }));
  if (change.add) {
    const o = change.add;
    const hunts = o.hunt.map((h) => engine.hunts.get(h).id); // by id, so renaming a hunt keeps its route
    routes.push({ sink: sinkId, minSeverity: checkSeverity(o.minSeverity) ?? 'informational', tags: o.tag, tactics: o.tactic, hunts });
  }
  return routes;
}

/** One route as a line of text; hunts by name where they still exist. */
const routeText = (engine: Engine, r: Route): string =>
  [`>=${r.minSeverity}`, ...r.tags.map((t) => `tag:${t}`), ...r.tactics.map((t) => `tactic:${t}`), ...r.hunts.map((h) => `hunt:${engine.hunts.find(h)?.name ?? h}`)].join(' ');

export function registerSinkCommands(program: Command, io: CliIo): void {
  const global = (): GlobalOptions => program.opts<GlobalOptions>();
  const sinks = program.command('sinks').description('where findings go: ServiceNow, Jira, PagerDuty, Slack, Teams');

  const add = sinks
    .command('add <kind> <name>')
    .description(`add a sink (${sinkKinds.join(', ')}); its secret is read from standard input or a prompt`)
    .option('--url <url>', 'the service base URL (ServiceNow instance, Jira site, PagerDuty events host)')
    .option('-s, --setting <name=value>', 'a setting, e.g. projectKey=SEC, username=svc.quarry, format=messagecard (repeatable)', collect, [])
    .option('--settings-json <json>', 'settings as one JSON object')
    .option('--route', 'route findings to it (all findings, or as narrowed by the options below)');
  routeOptions(add)
    .option('--json', 'print JSON')
    .action((kind: string, name: string, opts: RouteOptions & {
      url?: string; setting: string[]; settingsJson?: string; route?: boolean; json?: boolean;
    }) =>
      withEngine(global(), io, async ({ engine, api }) => {
        const entry = kindEntry(kind);
        const settings = parseSettingArgs(opts.setting, opts.settingsJson);
        if (opts.url) {
          const key = urlSetting[entry.kind];
          if (!key) throw new QuarryError('invalid_input', `${entry.label} sinks take no --url: their webhook URL is a secret, read from standard input`);
          settings[key] = opts.url;
        }
        checkSeverity(opts.minSeverity);
        for (const h of opts.hunt) engine.hunts.get(h); // before the secret is asked for
        // Settings are checked before any secret is asked for, so a typo does not cost a retyped password.
        let clean: Record<string, unknown>;
        try {
          clean = entry.parseSettings(settings);
        } catch (err) {
          throw new QuarryError('invalid_input', `${entry.label} sink "${name}": ${(err as Error).message}`);
        }
        const secrets: Record<string, string> = {};
        const needed = entry.requiredSecrets(clean);
        if (needed.length > 1 && !io.isTTY) throw new QuarryError('invalid_input', `${entry.label} sinks need ${needed.join(' and ')}: add it at a terminal`);
        for (const field of needed) secrets[field] = await readSecret(io, `${entry.label} ${secretPrompt[field] ?? field}: `);
        const sink = await api.sinks.add({ kind: entry.kind, name, settings, secrets });
        const routed = Boolean(opts.route) || wantsRoute(opts);
        if (routed) await api.routes.set({ routes: routesWith(engine, sink.id, { drop: false, add: opts }) });
        if (opts.json) return printJson(io, sink);
        io.stdout.write(`Sink "${sink.name}" (${entry.label}) added; its ${needed.join(', ')} is in the keychain.\n`);
        io.stdout.write(routed ? 'Findings are routed to it.\n' : `No findings go to it until it is routed: quarry sinks route ${sink.name} [--min-severity …]\n`);
      }),
    );

  sinks
    .command('list')
    .description('list sinks and their routes (secrets are never shown, only whether they are set)')
    .option('--json', 'print JSON ({ sinks, routes })')
    .action((opts: { json?: boolean }) =>
      withEngine(global(), io, async ({ engine, api }) => {
        const [list, routes] = await Promise.all([api.sinks.list(), api.routes.list()]);
        if (opts.json) return printJson(io, { sinks: list, routes });
        if (list.length === 0) return void io.stdout.write('No sinks. Add one with `quarry sinks add <kind> <name>`.\n');
        printTable(io, ['NAME', 'KIND', 'SECRETS', 'ROUTES', 'SETTINGS'], list.map((s) => {
          const mine = routes.filter((r) => r.sinkId === s.id);
          return [s.name, s.kind, s.secrets.map((x) => `${x.field}:${x.set ? 'set' : x.required ? 'MISSING' : 'unset'}`).join(' '), mine.map((r) => routeText(engine, r)).join('; ') || '(not routed)', JSON.stringify(s.settings)];
        }), 60);
      }),
    );

  routeOptions(
    sinks
      .command('route <name>')
      .description('route findings to a sink: all of them, or those the options narrow to (a finding goes where any route matches)')
      .option('--replace', "replace the sink's routes instead of adding one"),
  ).action((name: string, opts: RouteOptions & { replace?: boolean }) =>
    withEngine(global(), io, async ({ engine, api }) => {
      const sink = getSink(engine.db, name);
      const routes = await api.routes.set({ routes: routesWith(engine, sink.id, { drop: Boolean(opts.replace), add: opts }) });
      const mine = routes.filter((r) => r.sinkId === sink.id);
      io.stdout.write(`Findings go to "${sink.name}" when any of these match: ${mine.map((r) => routeText(engine, r)).join('; ')}\n`);
    }),
  );

  sinks
    .command('unroute <name>')
    .description('remove every route to a sink: no more findings go to it (deliveries already queued still go)')
    .action((name: string) =>
      withEngine(global(), io, async ({ engine, api }) => {
        const sink = getSink(engine.db, name);
        const had = findingsService(engine).listRoutes().filter((r) => r.sinkId === sink.id).length;
        await api.routes.set({ routes: routesWith(engine, sink.id, { drop: true, add: null }) });
        io.stdout.write(`${plural(had, 'route')} to "${sink.name}" removed; no findings are routed to it.\n`);
      }),
    );

  sinks
    .command('test <name>')
    .description('check a sink\'s settings and credentials')
    .option('--send', 'also post a test message (Slack, Teams) or trigger and resolve a test alert (PagerDuty)')
    .option('--json', 'print JSON')
    .action((name: string, opts: { send?: boolean; json?: boolean }) =>
      withEngine(global(), io, async ({ api }) => {
        const r = await api.sinks.test({ sink: name, send: Boolean(opts.send) });
        if (opts.json) return printJson(io, r);
        io.stdout.write(`Sink "${r.sink}" (${r.kind}): ${r.detail}\n`);
      }),
    );

  sinks
    .command('remove <name>')
    .description('remove a sink, its keychain entries, routes and queued deliveries')
    .action((name: string) =>
      withEngine(global(), io, async ({ api }) => {
        const r = await api.sinks.remove({ sink: name });
        io.stdout.write(`Sink "${r.name}" removed (${r.secretsDeleted} keychain entr${r.secretsDeleted === 1 ? 'y' : 'ies'} deleted).\n`);
      }),
    );
}
