import { describe, expect, it } from 'vitest';
import { durationMinutes, findingRuleSchema, ruleFromHunt, triggerFires } from '../../../engine/findings/rules.js';
import type { Hunt } from '../../../engine/types.js';

const hunt = (extra: Record<string, unknown>): Hunt => ({
  id: 'h', name: 'h', description: '', connection: null, language: 'kql', query: 'T', parameters: [], tactics: [], techniques: [],
  entityMappings: [], requiredDataConnectors: [], severity: 'medium', tags: [], version: '1', extra, sourcePath: null, createdAt: '', updatedAt: '',
});

describe('finding rules', () => {
  it('fires on the row count as Sentinel triggerOperator/triggerThreshold do', () => {
    const rule = (operator: 'gt' | 'ge' | 'lt' | 'le' | 'eq' | 'ne', threshold: number) => findingRuleSchema.parse({ trigger: { operator, threshold } });
    expect([0, 1, 2].map((n) => triggerFires(rule('gt', 1), n))).toEqual([false, false, true]);
    expect([0, 1, 2].map((n) => triggerFires(rule('ge', 1), n))).toEqual([false, true, true]);
    expect([0, 1, 2].map((n) => triggerFires(rule('lt', 1), n))).toEqual([true, false, false]);
    expect([0, 1, 2].map((n) => triggerFires(rule('le', 1), n))).toEqual([true, true, false]);
    expect([0, 1, 2].map((n) => triggerFires(rule('eq', 1), n))).toEqual([false, true, false]);
    expect([0, 1, 2].map((n) => triggerFires(rule('ne', 1), n))).toEqual([true, false, true]);
    expect(triggerFires(findingRuleSchema.parse({ trigger: null }), 0)).toBe(true);
    expect(triggerFires(findingRuleSchema.parse({}), 0)).toBe(false); // default: more than 0 rows
  });

  it("reads an analytics rule's trigger and incident-grouping lookback from the hunt's extra fields", () => {
    expect(ruleFromHunt(hunt({ triggerOperator: 'gt', triggerThreshold: 5 }))).toMatchObject({ fromHunt: true, rule: { trigger: { operator: 'gt', threshold: 5 } } });
    expect(ruleFromHunt(hunt({ triggerOperator: 'GreaterThanOrEqual', triggerThreshold: '3' })).rule.trigger).toEqual({ operator: 'ge', threshold: 3 });
    expect(ruleFromHunt(hunt({ triggerOperator: 'Equal', triggerThreshold: 0 })).rule.trigger).toEqual({ operator: 'eq', threshold: 0 });
    expect(ruleFromHunt(hunt({ incidentConfiguration: { groupingConfiguration: { lookbackDuration: 'PT5H' } } })).rule.dedupWindowMinutes).toBe(300);
    expect(ruleFromHunt(hunt({ triggerOperator: 'sideways', triggerThreshold: 1 }))).toMatchObject({ fromHunt: false, rule: { trigger: { operator: 'gt', threshold: 0 } } });
    expect(ruleFromHunt(hunt({}))).toMatchObject({ fromHunt: false, rule: { groupBy: 'entities', dedupWindowMinutes: 1440 } });
  });

  it('reads durations in the short and ISO 8601 forms', () => {
    expect(['30m', '5h', '1d', 'PT5H', 'P1D', 'PT1H30M', 'P1DT2H'].map(durationMinutes)).toEqual([30, 300, 1440, 300, 1440, 90, 1560]);
    expect(['', 'P', 'PT', '5 weeks', 5, null].map(durationMinutes)).toEqual([null, null, null, null, null, null]);
  });

  it('rejects rules that make no sense', () => {
    expect(findingRuleSchema.safeParse({ trigger: { operator: 'gt', threshold: -1 } }).success).toBe(false);
    expect(findingRuleSchema.safeParse({ groupBy: [] }).success).toBe(false);
    expect(findingRuleSchema.safeParse({ groupBy: 'entity' }).success).toBe(false);
    expect(findingRuleSchema.safeParse({ surprise: true }).success).toBe(false);
  });
});
