import { z } from 'zod';
import { severities, type Severity } from '../types.js';
import { sinkKinds } from '../../connectors/sinks/types.js';
import { findingRuleSchema, type EffectiveRule } from './rules.js';
import { routeInputSchema, type Route } from './routing.js';
import type { SinkInfo } from './sink-registry.js';
import { findingStatuses, type Delivery, type Finding, type FindingDetail, type FindingNote } from './types.js';

/**
 * The findings part of the engine API (findings, deliveries, sinks, finding
 * rules, routes), spread into `apiSchemas` in engine/api.ts. Sink secrets only
 * go in (sinks.add); nothing here returns one.
 */

const findingRef = z.object({ id: z.number().int().positive() });
const severity = z.enum(severities as [Severity, ...Severity[]]);
const secretField = z.string().regex(/^[A-Za-z][A-Za-z0-9_]*$/, 'secret field names are letters, digits and _');

export const findingApiSchemas = {
  'findings.list': z
    .object({
      status: z.enum(findingStatuses).optional(),
      huntId: z.string().min(1).optional(),
      minSeverity: severity.optional(),
      limit: z.number().int().positive().max(10_000).optional(),
    })
    .default({}),
  'findings.get': findingRef,
  'findings.ack': findingRef.extend({ note: z.string().min(1).max(10_000).optional() }),
  'findings.close': findingRef.extend({ reason: z.string().min(1).max(10_000).optional() }),
  'findings.addNote': findingRef.extend({ text: z.string().trim().min(1).max(10_000) }),
  'deliveries.list': z
    .object({
      state: z.enum(['pending', 'delivered', 'dead']).optional(),
      findingId: z.number().int().positive().optional(),
      sink: z.string().min(1).optional(),
      limit: z.number().int().positive().max(10_000).optional(),
    })
    .default({}),
  'deliveries.retry': z.union([
    z.object({ ids: z.array(z.number().int().positive()).min(1) }).strict(),
    z.object({ allDead: z.literal(true) }).strict(),
  ]),
  'sinks.list': z.object({}).default({}),
  'sinks.add': z.object({
    kind: z.enum(sinkKinds),
    name: z.string().min(1),
    settings: z.record(z.unknown()).default({}),
    /** Write-only: stored in the OS keychain, never echoed back. */
    secrets: z.record(secretField, z.string().min(1)).default({}),
  }),
  'sinks.remove': z.object({ sink: z.string().min(1) }),
  'sinks.test': z.object({ sink: z.string().min(1), send: z.boolean().default(false) }),
  'findingRules.get': z.object({ hunt: z.string().min(1) }),
  /** rule: null removes the stored rule (the hunt's own fields or the defaults apply again). */
  'findingRules.set': z.object({ hunt: z.string().min(1), rule: findingRuleSchema.nullable() }),
  'routes.list': z.object({}).default({}),
  'routes.set': z.object({ routes: z.array(routeInputSchema).max(200) }),
} as const;

export interface FindingApiResults {
  'findings.list': Finding[];
  'findings.get': FindingDetail;
  'findings.ack': FindingDetail;
  'findings.close': FindingDetail;
  'findings.addNote': FindingNote;
  'deliveries.list': Delivery[];
  'deliveries.retry': Delivery[];
  'sinks.list': SinkInfo[];
  'sinks.add': SinkInfo;
  'sinks.remove': { name: string; secretsDeleted: number };
  'sinks.test': { sink: string; kind: string; detail: string };
  'findingRules.get': EffectiveRule;
  'findingRules.set': EffectiveRule;
  'routes.list': Route[];
  'routes.set': Route[];
}

export type { DeliveryStatusEvent, FindingUpdatedEvent } from './types.js';
