/**
 * Findings: rules per hunt, deduplicated findings with triage (acknowledge,
 * close, notes), routing to sinks, and the outbox that delivers them.
 * `findingsService(engine)` is the entry point; Engine.open attaches it to
 * run.finished.
 */
export { findingsService, attachFindings, FindingsService, type FindingsOptions } from './service.js';
export type { EvaluationResult } from './evaluate.js';
export { findingRuleSchema, triggerOperators, type FindingRule, type FindingRuleInput, type EffectiveRule } from './rules.js';
export { routeInputSchema, type Route, type RouteInput } from './routing.js';
export type { SinkInfo, SinkSecretStatus } from './sink-registry.js';
export { nullVerdictSource, indicatorVerdictSource, type VerdictSource } from './verdicts.js';
export { templatePlaceholders, defaultTitleTemplate, defaultDescriptionTemplate } from './templates.js';
export * from './types.js';
export { defaultOutboxPolicy, type OutboxPolicy, type DrainResult } from '../outbox/worker.js';
