import { z } from 'zod';
import type { Db } from '../store/db.js';
import type { Hunt } from '../types.js';
import { QuarryError } from '../errors.js';
import { formatZodError } from '../validation.js';

/**
 * Finding rules: when a run of a hunt opens findings, and how many. A hunt
 * without a stored rule gets one derived from the hunt itself: Sentinel
 * analytics-rule fields (triggerOperator/triggerThreshold, the incident
 * grouping lookback) when the hunt came from such a YAML, otherwise "more
 * than 0 rows, one finding per entity group".
 */

export const triggerOperators = ['gt', 'ge', 'lt', 'le', 'eq', 'ne'] as const;
export type TriggerOperator = (typeof triggerOperators)[number];

export const findingRuleSchema = z
  .object({
    enabled: z.boolean().default(true),
    /** Row-count trigger, as Sentinel's triggerOperator/triggerThreshold; null fires on every run. */
    trigger: z
      .object({ operator: z.enum(triggerOperators), threshold: z.number().int().min(0) })
      .strict()
      .nullable()
      .default({ operator: 'gt', threshold: 0 }),
    /**
     * One finding per distinct combination of these values: 'entities' uses
     * the hunt's entity-mapped columns, a list names columns, 'none' makes one
     * finding per hunt.
     */
    groupBy: z.union([z.enum(['entities', 'none']), z.array(z.string().min(1)).min(1).max(10)]).default('entities'),
    /** A re-hit within this many minutes of the last one updates the finding instead of opening another. */
    dedupWindowMinutes: z.number().int().min(0).max(525_600).default(1440),
    /** A run with more groups than this opens findings for the largest ones only. */
    maxFindingsPerRun: z.number().int().min(1).max(10_000).default(100),
  })
  .strict();

export type FindingRule = z.output<typeof findingRuleSchema>;
export type FindingRuleInput = z.input<typeof findingRuleSchema>;

export interface EffectiveRule {
  huntId: string;
  rule: FindingRule;
  /** Where the rule came from: stored by the user, read from the hunt's Sentinel fields, or the defaults. */
  source: 'stored' | 'hunt' | 'default';
}

const sentinelOperators: Record<string, TriggerOperator> = {
  gt: 'gt', greaterthan: 'gt',
  ge: 'ge', greaterthanorequal: 'ge',
  lt: 'lt', lessthan: 'lt',
  le: 'le', lessthanorequal: 'le',
  eq: 'eq', equal: 'eq', equals: 'eq',
  ne: 'ne', notequal: 'ne',
};

/** "5h", "30m", "1d", or ISO 8601 "PT5H"/"P1D", in minutes; null when unreadable. */
export function durationMinutes(text: unknown): number | null {
  if (typeof text !== 'string') return null;
  const t = text.trim();
  const short = /^(\d+)\s*([mhd])$/i.exec(t);
  if (short) return Number(short[1]) * { m: 1, h: 60, d: 1440 }[short[2]!.toLowerCase() as 'm' | 'h' | 'd'];
  const iso = /^P(?:(\d+)D)?(?:T(?:(\d+)H)?(?:(\d+)M)?)?$/i.exec(t);
  if (!iso || t.toUpperCase() === 'P' || t.toUpperCase().endsWith('T')) return null;
  return Number(iso[1] ?? 0) * 1440 + Number(iso[2] ?? 0) * 60 + Number(iso[3] ?? 0);
}

/** The rule a hunt's own fields imply (Sentinel analytics rules carry their trigger and grouping window). */
export function ruleFromHunt(hunt: Hunt): { rule: FindingRule; fromHunt: boolean } {
  const extra = hunt.extra;
  let fromHunt = false;
  const input: FindingRuleInput = {};
  const op = typeof extra.triggerOperator === 'string' ? sentinelOperators[extra.triggerOperator.toLowerCase()] : undefined;
  const threshold = Number(extra.triggerThreshold);
  if (op && Number.isInteger(threshold) && threshold >= 0) {
    input.trigger = { operator: op, threshold };
    fromHunt = true;
  }
  const grouping = (extra.incidentConfiguration as { groupingConfiguration?: { lookbackDuration?: unknown } } | undefined)?.groupingConfiguration;
  const window = durationMinutes(grouping?.lookbackDuration);
  if (window !== null && window <= 525_600) {
    input.dedupWindowMinutes = window;
    fromHunt = true;
  }
  return { rule: findingRuleSchema.parse(input), fromHunt };
}

export function getFindingRule(db: Db, hunt: Hunt): EffectiveRule {
  const row = db.prepare('SELECT rule FROM finding_rules WHERE hunt_id = ?').get(hunt.id) as { rule: string } | undefined;
  if (row) {
    const parsed = findingRuleSchema.safeParse(JSON.parse(row.rule));
    if (parsed.success) return { huntId: hunt.id, rule: parsed.data, source: 'stored' };
  }
  const { rule, fromHunt } = ruleFromHunt(hunt);
  return { huntId: hunt.id, rule, source: fromHunt ? 'hunt' : 'default' };
}

/** Stores a hunt's rule; null removes it, so the hunt falls back to the rule its own fields imply. */
export function setFindingRule(db: Db, hunt: Hunt, input: FindingRuleInput | null, now: Date): EffectiveRule {
  if (input === null) {
    db.prepare('DELETE FROM finding_rules WHERE hunt_id = ?').run(hunt.id);
    return getFindingRule(db, hunt);
  }
  const parsed = findingRuleSchema.safeParse(input);
  if (!parsed.success) throw new QuarryError('invalid_input', `finding rule: ${formatZodError(parsed.error)}`);
  db.prepare(
    `INSERT INTO finding_rules (hunt_id, rule, updated_at) VALUES (?, ?, ?)
     ON CONFLICT(hunt_id) DO UPDATE SET rule = excluded.rule, updated_at = excluded.updated_at`,
  ).run(hunt.id, JSON.stringify(parsed.data), now.toISOString());
  return { huntId: hunt.id, rule: parsed.data, source: 'stored' };
}

export function triggerFires(rule: FindingRule, rowCount: number): boolean {
  if (!rule.trigger) return true;
  const t = rule.trigger.threshold;
  switch (rule.trigger.operator) {
    case 'gt': return rowCount > t;
    case 'ge': return rowCount >= t;
    case 'lt': return rowCount < t;
    case 'le': return rowCount <= t;
    case 'eq': return rowCount === t;
    case 'ne': return rowCount !== t;
  }
}
