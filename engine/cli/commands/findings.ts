import type { Command } from 'commander';
import { withEngine, type GlobalOptions } from '../context.js';
import { printJson, printTable, plural, type CliIo } from '../output.js';
import { QuarryError } from '../../errors.js';
import { severities, type Severity } from '../../types.js';
import { findingsService } from '../../findings/service.js';
import { findingStatuses, type FindingDetail, type FindingStatus } from '../../findings/types.js';
import type { Engine } from '../../engine.js';
import type { Run } from '../../types.js';
import { registerFindingRuleCommand } from './finding-rules.js';

/** `quarry findings list|show|ack|close|note|rule`. */

export function parseFindingId(text: string): number {
  const id = Number(text);
  if (!Number.isSafeInteger(id) || id <= 0) throw new QuarryError('invalid_input', `a finding is named by its number, got "${text}"`);
  return id;
}

function oneOf<T extends string>(value: string | undefined, allowed: readonly T[], what: string): T | undefined {
  if (value === undefined) return undefined;
  if (!allowed.includes(value as T)) throw new QuarryError('invalid_input', `unknown ${what} "${value}" (use ${allowed.join(', ')})`);
  return value as T;
}

const entityText = (f: { entities: Array<{ column: string; value: string }> }): string =>
  f.entities.map((e) => `${e.column}=${e.value}`).join(', ');

/** Delivers what the command queued (ticket updates), unless --no-send; a failure stays queued for later. */
export async function sendQueued(engine: Engine, io: CliIo, send: boolean): Promise<void> {
  if (!send) return;
  const r = await findingsService(engine).worker.drain();
  if (r.attempted === 0) return;
  io.stdout.write(`Deliveries: ${r.delivered} delivered, ${r.retrying} to retry, ${r.dead} dead.\n`);
}

/**
 * After `quarry run`: says which findings the run opened or updated (the
 * run.finished listener evaluated them) and sends their deliveries unless
 * --no-send. With no io (--json output) it sends without a word.
 */
export async function reportRunFindings(engine: Engine, io: CliIo | null, run: Pick<Run, 'id' | 'huntId'>, send: boolean): Promise<void> {
  if (io && run.huntId) {
    const hit = findingsService(engine).list({ huntId: run.huntId }).filter((f) => f.runIds.includes(run.id));
    const opened = hit.filter((f) => f.runIds[0] === run.id).length;
    const parts = [opened ? `${plural(opened, 'finding')} opened` : '', hit.length > opened ? `${plural(hit.length - opened, 'finding')} updated` : ''];
    if (hit.length) io.stdout.write(`${parts.filter(Boolean).join(', ')}: ${hit.map((f) => `#${f.id} (${f.severity})`).join(', ')}.\n`);
  }
  if (io) await sendQueued(engine, io, send);
  else if (send) await findingsService(engine).worker.drain();
}

function printFinding(io: CliIo, f: FindingDetail): void {
  io.stdout.write(`Finding ${f.id}: ${f.title}\n`);
  const lines: Array<[string, string]> = [
    ['Status', f.status + (f.closeReason ? ` (${f.closeReason})` : '')],
    ['Severity', f.severity === f.huntSeverity ? f.severity : `${f.severity} (hunt: ${f.huntSeverity}, raised by threat intel)`],
    ['Hunt', `${f.huntName} (${f.huntId})`],
    ['Entities', entityText(f) || '(none)'],
    ['Seen', `${plural(f.hitCount, 'time')}, ${plural(f.rowCount, 'row')}; runs ${f.runIds.join(', ')}`],
    ['First seen', f.firstSeen],
    ['Last seen', f.lastSeen],
    ['Threat intel', f.verdict ?? 'not looked up'],
    ['ATT&CK', [...f.tactics, ...f.techniques].join(', ') || '(none)'],
    ['Dedup key', f.dedupKey],
    ['Correlation', f.correlationId],
  ];
  for (const [k, v] of lines) io.stdout.write(`  ${`${k}:`.padEnd(14)}${v}\n`);
  if (f.tickets.length) {
    io.stdout.write('\nTickets:\n');
    for (const t of f.tickets) io.stdout.write(`  ${t.sink} (${t.sinkKind}): ${t.key ?? t.externalId}${t.url ? `  ${t.url}` : ''}\n`);
  }
  if (f.deliveries.length) {
    io.stdout.write('\nDeliveries:\n');
    printTable(io, ['ID', 'SINK', 'ACTION', 'STATE', 'TRIES', 'RESULT'], f.deliveries.map((d) => [
      d.id, d.sink, d.action, d.state, d.attempts, d.state === 'delivered' ? d.detail : (d.lastError ?? (d.nextAttemptAt ? `due ${d.nextAttemptAt}` : '')),
    ]), 80);
  }
  if (f.notes.length) {
    io.stdout.write('\nNotes:\n');
    for (const n of f.notes) io.stdout.write(`  ${n.createdAt}  ${n.text}\n`);
  }
}

export function registerFindingCommands(program: Command, io: CliIo): void {
  const global = (): GlobalOptions => program.opts<GlobalOptions>();
  const findings = program.command('findings').description('findings opened by hunt runs: list, inspect, acknowledge, close; finding rules');

  findings
    .command('list')
    .description('list findings, most recent activity first')
    .option('--status <status>', `only this status: ${findingStatuses.join(', ')}`)
    .option('--hunt <hunt>', 'only findings of this hunt (id or exact name)')
    .option('--min-severity <severity>', `at least this severity: ${severities.join(', ')}`)
    .option('--limit <n>', 'at most this many', '100')
    .option('--json', 'print JSON (an array of findings)')
    .action((opts: { status?: string; hunt?: string; minSeverity?: string; limit: string; json?: boolean }) =>
      withEngine(global(), io, async ({ engine, api }) => {
        const list = await api.findings.list({
          status: oneOf<FindingStatus>(opts.status, findingStatuses, 'status'),
          huntId: opts.hunt ? engine.hunts.get(opts.hunt).id : undefined,
          minSeverity: oneOf<Severity>(opts.minSeverity, severities, 'severity'),
          limit: Math.max(1, Number(opts.limit) || 100),
        });
        if (opts.json) return printJson(io, list);
        if (list.length === 0) return void io.stdout.write('No findings.\n');
        printTable(io, ['ID', 'SEVERITY', 'STATUS', 'SEEN', 'LAST SEEN', 'HUNT', 'ENTITIES'], list.map((f) => [
          f.id, f.severity, f.status, f.hitCount, f.lastSeen, f.huntName, entityText(f),
        ]));
      }),
    );

  findings
    .command('show <id>')
    .description('one finding with its notes, deliveries and tickets')
    .option('--json', 'print JSON')
    .action((id: string, opts: { json?: boolean }) =>
      withEngine(global(), io, async ({ api }) => {
        const f = await api.findings.get({ id: parseFindingId(id) });
        if (opts.json) return printJson(io, f);
        printFinding(io, f);
      }),
    );

  findings
    .command('ack <id>')
    .description('acknowledge a finding (tickets are updated)')
    .option('--note <text>', 'a note to keep with it')
    .option('--no-send', 'only queue the ticket updates')
    .action((id: string, opts: { note?: string; send: boolean }) =>
      withEngine(global(), io, async ({ engine, api }) => {
        const f = await api.findings.ack({ id: parseFindingId(id), note: opts.note });
        io.stdout.write(`Finding ${f.id} acknowledged.\n`);
        await sendQueued(engine, io, opts.send);
      }),
    );

  findings
    .command('close <id>')
    .description('close a finding (tickets are resolved)')
    .option('--reason <text>', 'why: kept as a note and sent as the close notes')
    .option('--no-send', 'only queue the ticket updates')
    .action((id: string, opts: { reason?: string; send: boolean }) =>
      withEngine(global(), io, async ({ engine, api }) => {
        const f = await api.findings.close({ id: parseFindingId(id), reason: opts.reason });
        io.stdout.write(`Finding ${f.id} closed.\n`);
        await sendQueued(engine, io, opts.send);
      }),
    );

  findings
    .command('note <id> <text>')
    .description('add a note to a finding')
    .action((id: string, text: string) =>
      withEngine(global(), io, async ({ api }) => {
        await api.findings.addNote({ id: parseFindingId(id), text });
        io.stdout.write(`Note added to finding ${id}.\n`);
      }),
    );

  registerFindingRuleCommand(findings, program, io);
}
