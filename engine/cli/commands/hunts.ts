import fs from 'node:fs';
import type { Command } from 'commander';
import { withEngine, type GlobalOptions } from '../context.js';
import { printJson, printTable, plural, type CliIo } from '../output.js';
import { CliFailure } from '../failure.js';

export function registerHuntCommands(program: Command, io: CliIo): void {
  const hunts = program.command('hunts').description('the hunt library');
  const global = (): GlobalOptions => program.opts<GlobalOptions>();

  hunts
    .command('list')
    .description('list hunts')
    .option('--search <text>', 'only hunts whose name, description, query, tags or ATT&CK ids contain this')
    .option('--tag <tag>', 'only hunts with this tag')
    .option('--tactic <tactic>', 'only hunts with this ATT&CK tactic')
    .option('--json', 'print JSON (an array of hunts)')
    .action((opts: { search?: string; tag?: string; tactic?: string; json?: boolean }) =>
      withEngine(global(), io, async ({ api }) => {
        const list = await api.hunts.list({ search: opts.search, tag: opts.tag, tactic: opts.tactic });
        if (opts.json) return printJson(io, list);
        if (list.length === 0) return void io.stdout.write('No hunts. Import some with `quarry hunts import <file-or-folder>`.\n');
        printTable(io, ['ID', 'NAME', 'LANG', 'CONNECTION', 'SEVERITY', 'TECHNIQUES'], list.map((h) => [
          h.id, h.name, h.language, h.connection ?? '-', h.severity, h.techniques.join(' '),
        ]));
      }),
    );

  hunts
    .command('show <hunt>')
    .description('show one hunt (id or exact name)')
    .option('--json', 'print JSON')
    .action((ref: string, opts: { json?: boolean }) =>
      withEngine(global(), io, async ({ api }) => {
        const h = await api.hunts.get({ hunt: ref });
        if (opts.json) return printJson(io, h);
        const params = h.parameters.map((p) => `${p.name}: ${p.type}${p.default !== undefined ? ` = ${String(p.default)}` : ''}`);
        io.stdout.write(
          [`${h.name}  (${h.id})`, `language: ${h.language}   connection: ${h.connection ?? '-'}   severity: ${h.severity}   version: ${h.version}`,
            `tactics: ${h.tactics.join(', ') || '-'}   techniques: ${h.techniques.join(', ') || '-'}`, `tags: ${h.tags.join(', ') || '-'}`,
            params.length ? `parameters: ${params.join('; ')}` : '', '', h.description.trim(), '', h.query.trimEnd(), ''].filter((l, i) => l !== '' || i > 4).join('\n'),
        );
      }),
    );

  hunts
    .command('import <paths...>')
    .description('import Sentinel or Quarry hunt YAML files, or folders of them (recursively); re-import updates by id')
    .option('--connection <name>', 'connection for imported hunts that name none')
    .option('--json', 'print JSON ({ imported, failed })')
    .action((paths: string[], opts: { connection?: string; json?: boolean }) =>
      withEngine(global(), io, async ({ api }) => {
        const result = await api.hunts.import({ paths, connection: opts.connection });
        if (opts.json) printJson(io, result);
        else {
          const updated = result.imported.filter((h) => h.updated).length;
          io.stdout.write(`Imported ${plural(result.imported.length, 'hunt')} (${updated} updated, ${result.imported.length - updated} new).\n`);
          for (const f of result.failed) io.stderr.write(`${f.file}:${f.line}: ${f.message}\n`);
        }
        if (result.failed.length) throw new CliFailure(`${plural(result.failed.length, 'file')} could not be imported`, !opts.json);
      }),
    );

  hunts
    .command('export <hunt>')
    .description('write a hunt as Quarry hunt YAML (Sentinel fields plus Quarry\'s)')
    .option('--out <file>', 'write to this file instead of standard output')
    .action((ref: string, opts: { out?: string }) =>
      withEngine(global(), io, async ({ api }) => {
        const { yaml } = await api.hunts.exportYaml({ hunt: ref });
        if (opts.out) fs.writeFileSync(opts.out, yaml);
        else io.stdout.write(yaml);
      }),
    );

  hunts
    .command('delete <hunt>')
    .description('delete a hunt (its past runs are kept)')
    .action((ref: string) =>
      withEngine(global(), io, async ({ api }) => {
        const { id } = await api.hunts.delete({ hunt: ref });
        io.stdout.write(`Deleted hunt ${id}.\n`);
      }),
    );
}
