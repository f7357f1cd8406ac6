import type { Command } from 'commander';
import { withEngine, type GlobalOptions } from '../context.js';
import { printJson, plural, type CliIo } from '../output.js';
import { QuarryError } from '../../errors.js';
import type { Hunt } from '../../types.js';
import { durationMinutes, type EffectiveRule, type FindingRule, type FindingRuleInput, type TriggerOperator } from '../../findings/rules.js';

/**
 * `quarry findings rule <hunt> [changes]`: shows a hunt's finding rule, or
 * changes part of it (what is not named keeps its current value) through
 * the same API call the app's hunt editor makes.
 */

const operatorWords: Record<string, TriggerOperator> = {
  gt: 'gt', '>': 'gt', ge: 'ge', '>=': 'ge', lt: 'lt', '<': 'lt', le: 'le', '<=': 'le', eq: 'eq', '=': 'eq', '==': 'eq', ne: 'ne', '!=': 'ne',
};
const operatorText: Record<TriggerOperator, string> = { gt: 'more than', ge: 'at least', lt: 'fewer than', le: 'at most', eq: 'exactly', ne: 'not' };

/** "gt 0", ">=5", "eq 3", or "any" (every run that succeeds). */
export function parseTrigger(text: string): FindingRule['trigger'] {
  const t = text.trim().toLowerCase();
  if (t === 'any' || t === 'always') return null;
  const m = /^(gt|ge|lt|le|eq|ne|>=|<=|==|!=|>|<|=)\s*(\d+)$/.exec(t);
  if (!m) throw new QuarryError('invalid_input', `--trigger takes an operator and a row count, like "gt 0" or ">= 5" (gt, ge, lt, le, eq, ne), or "any"; got "${text}"`);
  return { operator: operatorWords[m[1]!]!, threshold: Number(m[2]) };
}

/** Minutes as a number, or "90m", "24h", "1d", "PT1H". */
export function parseWindow(text: string): number {
  const minutes = /^\d+$/.test(text.trim()) ? Number(text) : durationMinutes(text);
  if (minutes === null) throw new QuarryError('invalid_input', `--dedup-window takes minutes or a duration like 90m, 24h, 1d; got "${text}"`);
  return minutes;
}

export function parseGroupBy(text: string): FindingRule['groupBy'] {
  const t = text.trim();
  if (t === 'entities' || t === 'none') return t;
  const columns = t.split(/[\s,]+/).filter(Boolean);
  if (columns.length === 0) throw new QuarryError('invalid_input', '--group-by takes entities, none, or column names separated by commas');
  return columns;
}

const windowText = (m: number): string =>
  m === 0 ? '0 (every run opens a new finding)' : m % 1440 === 0 ? `${m / 1440}d` : m % 60 === 0 ? `${m / 60}h` : `${m}m`;
const sourceText: Record<EffectiveRule['source'], string> = { stored: 'set for this hunt', hunt: "from the hunt's Sentinel fields", default: 'the defaults' };

function printRule(io: CliIo, hunt: Hunt, r: EffectiveRule): void {
  const { rule } = r;
  const mapped = hunt.entityMappings.flatMap((m) => m.fieldMappings.map((f) => f.columnName));
  const group = rule.groupBy === 'none'
    ? 'run (one finding per hunt)'
    : rule.groupBy === 'entities'
      ? `entity group (${mapped.join(', ') || 'the hunt maps no entities: one finding per hunt'})`
      : `value of ${rule.groupBy.join(', ')}`;
  io.stdout.write(`Finding rule of "${hunt.name}" (${sourceText[r.source]}):\n`);
  const lines: Array<[string, string]> = [
    ['Enabled', rule.enabled ? 'yes' : 'no (runs of this hunt open no findings)'],
    ['Trigger', rule.trigger ? `${operatorText[rule.trigger.operator]} ${plural(rule.trigger.threshold, 'row')}` : 'any run'],
    ['One finding per', group],
    ['Dedup window', windowText(rule.dedupWindowMinutes)],
    ['Max per run', String(rule.maxFindingsPerRun)],
  ];
  for (const [k, v] of lines) io.stdout.write(`  ${`${k}:`.padEnd(17)}${v}\n`);
}

interface RuleOptions {
  trigger?: string;
  groupBy?: string;
  dedupWindow?: string;
  maxFindings?: string;
  enable?: boolean;
  disable?: boolean;
  reset?: boolean;
  json?: boolean;
}

/** The changes the options name, or null when they name none (show the rule). */
function changesOf(opts: RuleOptions): FindingRuleInput | null {
  if (opts.enable && opts.disable) throw new QuarryError('invalid_input', 'pass --enable or --disable, not both');
  const change: FindingRuleInput = {};
  if (opts.trigger !== undefined) change.trigger = parseTrigger(opts.trigger);
  if (opts.groupBy !== undefined) change.groupBy = parseGroupBy(opts.groupBy);
  if (opts.dedupWindow !== undefined) change.dedupWindowMinutes = parseWindow(opts.dedupWindow);
  if (opts.maxFindings !== undefined) {
    const n = Number(opts.maxFindings);
    if (!Number.isInteger(n)) throw new QuarryError('invalid_input', `--max-findings takes a whole number; got "${opts.maxFindings}"`);
    change.maxFindingsPerRun = n;
  }
  if (opts.enable) change.enabled = true;
  if (opts.disable) change.enabled = false;
  return Object.keys(change).length ? change : null;
}

export function registerFindingRuleCommand(findings: Command, program: Command, io: CliIo): void {
  const global = (): GlobalOptions => program.opts<GlobalOptions>();
  findings
    .command('rule <hunt>')
    .description("show or change when a hunt's runs open findings (trigger, grouping, dedup window)")
    .option('--trigger <trigger>', 'row-count trigger: "gt 0", ">= 5" (gt, ge, lt, le, eq, ne), or "any"')
    .option('--group-by <what>', 'one finding per: entities (the mapped entity columns), none (one per hunt), or COLUMN[,COLUMN…]')
    .option('--dedup-window <duration>', 'a re-hit within this long updates the finding: minutes, or 90m, 24h, 1d')
    .option('--max-findings <n>', 'at most this many findings per run (the largest groups)')
    .option('--enable', 'open findings from this hunt')
    .option('--disable', 'open no findings from this hunt')
    .option('--reset', "forget the rule set here: the hunt's Sentinel fields or the defaults apply again")
    .option('--json', 'print JSON ({ huntId, rule, source })')
    .action((ref: string, opts: RuleOptions) =>
      withEngine(global(), io, async ({ engine, api }) => {
        const hunt = engine.hunts.get(ref);
        const change = changesOf(opts);
        if (opts.reset && change) throw new QuarryError('invalid_input', '--reset cannot be combined with changes');
        let rule = await api.findingRules.get({ hunt: hunt.id });
        if (opts.reset) rule = await api.findingRules.set({ hunt: hunt.id, rule: null });
        else if (change) rule = await api.findingRules.set({ hunt: hunt.id, rule: { ...rule.rule, ...change } });
        if (opts.json) return printJson(io, rule);
        printRule(io, hunt, rule);
      }),
    );
}
