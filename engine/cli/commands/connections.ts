import type { Command } from 'commander';
import { withEngine, type GlobalOptions } from '../context.js';
import { printJson, printTable, type CliIo } from '../output.js';
import { collect, parseSettingArgs } from '../setting-args.js';
import { QuarryError } from '../../errors.js';
import { readSecret } from '../../connections/secret-input.js';
import type { SecretStatus } from '../../connections/registry.js';
import type { ApiArgs } from '../../api.js';

/**
 * `quarry connections add|list|show|set|test|remove|set-secret|clear-secret`.
 * Settings come from options and go to SQLite; secrets (SQL password, client
 * secret) only from standard input or a no-echo prompt, into the OS keychain,
 * never from the command line. Nothing here prints a secret, only whether it is set.
 */

const kindLabel: Record<string, string> = { 'log-analytics': 'Log Analytics', 'sql-server': 'SQL Server', local: 'local logs' };
const secretLabel: Record<string, string> = { password: 'password', clientSecret: 'client secret' };

const secretText = (s: SecretStatus): string => `${s.field}: ${s.set ? 'set' : s.required ? 'NOT SET (required)' : 'not set'}`;

export function registerConnectionCommands(program: Command, io: CliIo): void {
  const global = (): GlobalOptions => program.opts<GlobalOptions>();
  const connections = program.command('connections').description('data sources hunts run against: log-analytics, sql-server, local');
  const ask = (kind: string, name: string, field: string): Promise<string> =>
    readSecret(io, `${kindLabel[kind] ?? kind} ${secretLabel[field] ?? field} for "${name}": `);

  connections
    .command('add <kind> <name>')
    .description('add a connection (log-analytics, sql-server or local); its secret is read from standard input or a prompt')
    .option('-s, --setting <name=value>', 'a setting, e.g. server=sql01, port=1433, user=hunter, workspaceId=… (repeatable)', collect, [])
    .option('--settings-json <json>', 'settings as one JSON object')
    .option('--secret <field>', 'also store this optional secret (the required one is always asked for; repeatable)', collect, [])
    .option('--json', 'print JSON (the connection, without secrets)')
    .action((kind: string, name: string, opts: { setting: string[]; settingsJson?: string; secret: string[]; json?: boolean }) =>
      withEngine(global(), io, async ({ engine, api }) => {
        const settings = parseSettingArgs(opts.setting, opts.settingsJson);
        // Checked before any secret is asked for, so a typo does not cost a retyped password.
        const plan = engine.connections.plan(kind, name, settings);
        for (const field of opts.secret) {
          if (!plan.secretFields.includes(field)) {
            const known = plan.secretFields.length ? plan.secretFields.join(', ') : 'none';
            throw new QuarryError('invalid_input', `"${field}" is not a secret of ${kind} connections (their secrets: ${known})`);
          }
        }
        const needed = [...new Set([...plan.requiredSecrets, ...opts.secret])];
        if (needed.length > 1 && !io.isTTY) {
          throw new QuarryError('invalid_input', `connection "${name}" takes ${needed.join(' and ')}: add it at a terminal, or pipe one now and store the other with \`quarry connections set-secret\``);
        }
        const secrets: Record<string, string> = {};
        for (const field of needed) secrets[field] = await ask(kind, name, field);
        const c = await api.connections.add({ kind: kind as ApiArgs<'connections.add'>['kind'], name, settings, secrets });
        if (opts.json) return printJson(io, c);
        io.stdout.write(`Connection "${c.name}" (${kindLabel[c.kind] ?? c.kind}) added${needed.length ? `; its ${needed.join(', ')} ${needed.length === 1 ? 'is' : 'are'} in the OS keychain` : ''}.\n`);
        if (c.kind !== 'local') io.stdout.write(`Check it with \`quarry connections test ${c.name}\`.\n`);
      }),
    );

  connections
    .command('list')
    .description('list connections (secrets are never shown)')
    .option('--json', 'print JSON')
    .action((opts: { json?: boolean }) =>
      withEngine(global(), io, async ({ api }) => {
        const list = await api.connections.list();
        if (opts.json) return printJson(io, list);
        printTable(io, ['NAME', 'KIND', 'SETTINGS'], list.map((c) => [c.name, c.kind, JSON.stringify(c.settings)]), 80);
      }),
    );

  connections
    .command('show <connection>')
    .description('one connection: its settings and which secrets are set in the OS keychain (never their values)')
    .option('--json', 'print JSON ({ …connection, secrets: [{ field, set, required }] })')
    .action((ref: string, opts: { json?: boolean }) =>
      withEngine(global(), io, async ({ api }) => {
        const c = await api.connections.get({ connection: ref });
        if (opts.json) return printJson(io, c);
        const lines = [`${c.name}  (${c.id})`, `kind: ${c.kind}`, 'settings:'];
        for (const [key, value] of Object.entries(c.settings)) lines.push(`  ${key}: ${typeof value === 'string' ? value : JSON.stringify(value)}`);
        lines.push(`secrets (OS keychain):${c.secrets.length ? '' : ' none'}`);
        for (const s of c.secrets) lines.push(`  ${secretText(s)}`);
        io.stdout.write(`${lines.join('\n')}\n`);
      }),
    );

  connections
    .command('set <connection>')
    .alias('update')
    .description('change settings (never secrets: see set-secret); checked like add, the rest stays as it is')
    .option('-s, --setting <name=value>', 'a setting to change, e.g. database=hunting, port=1433 (repeatable)', collect, [])
    .option('--settings-json <json>', 'settings to change, as one JSON object')
    .option('--unset <name>', 'drop a setting, back to its default (repeatable)', collect, [])
    .option('--json', 'print JSON ({ …connection, secrets: [{ field, set, required }] })')
    .action((ref: string, opts: { setting: string[]; settingsJson?: string; unset: string[]; json?: boolean }) =>
      withEngine(global(), io, async ({ api }) => {
        const settings = parseSettingArgs(opts.setting, opts.settingsJson);
        if (Object.keys(settings).length === 0 && opts.unset.length === 0) {
          throw new QuarryError('invalid_input', 'nothing to change: give -s name=value, --settings-json or --unset name');
        }
        const c = await api.connections.update({ connection: ref, settings, unset: opts.unset });
        if (opts.json) return printJson(io, c);
        const changed = [...Object.keys(settings), ...opts.unset.map((k) => `-${k}`)].join(', ');
        io.stdout.write(`Connection "${c.name}" updated (${changed}); its secrets are unchanged.\n`);
        const missing = c.secrets.filter((s) => s.required && !s.set).map((s) => s.field);
        if (missing.length) io.stdout.write(`It now needs ${missing.join(', ')}: store it with \`quarry connections set-secret ${c.name} ${missing[0]}\`.\n`);
      }),
    );

  connections
    .command('test <connection>')
    .description('connect and check the connection works (signs in, reaches the workspace or database)')
    .option('--json', 'print JSON ({ connection, kind, detail, durationMs })')
    .action((ref: string, opts: { json?: boolean }) =>
      withEngine(global(), io, async ({ api }) => {
        const r = await api.connections.test({ connection: ref });
        if (opts.json) return printJson(io, r);
        io.stdout.write(`Connection "${r.connection}" works: ${r.detail} (${r.durationMs} ms).\n`);
      }),
    );

  connections
    .command('remove <connection>')
    .description('remove a connection and delete its secrets from the OS keychain (hunts naming it stay)')
    .option('--json', 'print JSON ({ name, secretsDeleted })')
    .action((ref: string, opts: { json?: boolean }) =>
      withEngine(global(), io, async ({ api }) => {
        const r = await api.connections.remove({ connection: ref });
        if (opts.json) return printJson(io, r);
        io.stdout.write(`Connection "${r.name}" removed (${r.secretsDeleted} keychain ${r.secretsDeleted === 1 ? 'entry' : 'entries'} deleted).\n`);
      }),
    );

  connections
    .command('set-secret <connection> <field>')
    .description('store or replace a secret (password, clientSecret), read from standard input or a prompt')
    .option('--json', 'print JSON ({ connection, field, set })')
    .action((ref: string, field: string, opts: { json?: boolean }) =>
      withEngine(global(), io, async ({ api }) => {
        const c = await api.connections.get({ connection: ref });
        if (!c.secrets.some((s) => s.field === field)) {
          const known = c.secrets.length ? c.secrets.map((s) => s.field).join(', ') : 'none';
          throw new QuarryError('invalid_input', `"${field}" is not a secret of ${c.kind} connection "${c.name}" (its secrets: ${known})`);
        }
        const r = await api.connections.setSecret({ connection: c.id, field, value: await ask(c.kind, c.name, field) });
        if (opts.json) return printJson(io, r);
        io.stdout.write(`Secret ${field} of "${r.connection}" stored in the OS keychain.\n`);
      }),
    );

  connections
    .command('clear-secret <connection> <field>')
    .description('delete a secret from the OS keychain')
    .option('--json', 'print JSON ({ connection, field, deleted })')
    .action((ref: string, field: string, opts: { json?: boolean }) =>
      withEngine(global(), io, async ({ api }) => {
        const r = await api.connections.clearSecret({ connection: ref, field });
        if (opts.json) return printJson(io, r);
        io.stdout.write(r.deleted ? `Secret ${field} of "${r.connection}" deleted from the OS keychain.\n` : `Secret ${field} of "${r.connection}" was not set.\n`);
      }),
    );
}
