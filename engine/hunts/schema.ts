import { z } from 'zod';
import { severities, type Severity } from '../types.js';

const parameterName = z.string().regex(/^[A-Za-z_][A-Za-z0-9_]*$/, 'parameter names are letters, digits and _');

export const huntParameterSchema = z.object({
  name: parameterName,
  type: z.enum(['string', 'int', 'real', 'bool', 'datetime', 'timespan']),
  default: z.union([z.string(), z.number(), z.boolean(), z.null()]).optional(),
  description: z.string().optional(),
});

export const entityMappingSchema = z.object({
  entityType: z.string().min(1),
  fieldMappings: z.array(z.object({ identifier: z.string().min(1), columnName: z.string().min(1) })),
});

export const dataConnectorSchema = z.object({
  connectorId: z.string(),
  dataTypes: z.array(z.string()).default([]),
});

/** What a caller supplies to create or replace a hunt; everything but name and query has a default. */
export const huntInputSchema = z.object({
  id: z.string().min(1).optional(),
  name: z.string().trim().min(1, 'a hunt needs a name'),
  description: z.string().default(''),
  connection: z.string().min(1).nullable().default(null),
  language: z.enum(['kql', 'tsql', 'sql']),
  query: z.string().refine((q) => q.trim().length > 0, 'a hunt needs a query'),
  parameters: z.array(huntParameterSchema).default([]),
  tactics: z.array(z.string()).default([]),
  techniques: z.array(z.string().regex(/^T\d{4}(\.\d{3})?$/, 'ATT&CK technique ids look like T1110 or T1110.003')).default([]),
  entityMappings: z.array(entityMappingSchema).default([]),
  requiredDataConnectors: z.array(dataConnectorSchema).default([]),
  severity: z.enum(severities as [Severity, ...Severity[]]).default('medium'),
  tags: z.array(z.string()).default([]),
  version: z.string().default('1.0.0'),
  extra: z.record(z.unknown()).default({}),
  sourcePath: z.string().nullable().default(null),
});

export type HuntInput = z.input<typeof huntInputSchema>;
export type ParsedHuntInput = z.output<typeof huntInputSchema>;
