import { z } from 'zod';
import { huntInputSchema } from './hunts/schema.js';
import type { Connection, Hunt, ResultColumn, Run, StoredValue } from './types.js';
import type { HuntImportResult } from './hunts/importer.js';
import type { LogImportResult } from '../connectors/sources/local/import/log-importer.js';
import type { LocalTableInfo } from '../connectors/sources/local/local-db.js';
import type { SignInEvent } from '../connectors/sources/types.js';
import type { Histogram } from './runs/histogram.js';
import { apiEventNames, apiMethodNames, type ApiEventName, type ApiMethodName } from './api-names.js';
import { scheduleApiSchemas, type ScheduleApiResults, type SchedulerStatus } from './scheduler/api-schemas.js';
import { findingApiSchemas, type FindingApiResults, type DeliveryStatusEvent, type FindingUpdatedEvent } from './findings/api.js';
import type { Finding } from './findings/types.js';
import { reportApiSchemas, type ReportApiEvents, type ReportApiResults } from './reports/api.js';
import { enrichmentApiSchemas, type EnrichmentApiEvents, type EnrichmentApiResults } from './enrichment/api.js';
import { connectionApiSchemas, type ConnectionApiResults } from './connections/api.js';

/**
 * The one engine API. Every transport (MessagePort in the app, in-process in
 * the CLI and tests, the loopback WebSocket bridge in e2e tests) carries calls
 * `(method, args)` to the same dispatcher, which validates `args` with these
 * schemas. Names are `namespace.verb`.
 */

const huntRef = z.object({ hunt: z.string().min(1) });
const runRef = z.object({ runId: z.number().int().positive() });
const paramValue = z.union([z.string(), z.number(), z.boolean(), z.null()]);
const filterSchema = z.object({
  column: z.string(),
  op: z.enum(['eq', 'neq', 'contains', 'not_contains', 'gt', 'gte', 'lt', 'lte', 'is_null', 'not_null']),
  value: z.union([z.string(), z.number(), z.null()]).optional(),
});

export const apiSchemas = {
  'app.info': z.object({}).default({}),
  'hunts.list': z.object({ search: z.string().optional(), tag: z.string().optional(), tactic: z.string().optional() }).default({}),
  'hunts.get': huntRef,
  'hunts.save': huntInputSchema,
  'hunts.delete': huntRef,
  'hunts.import': z.object({ paths: z.array(z.string().min(1)).min(1), connection: z.string().optional() }),
  'hunts.importYaml': z.object({ yaml: z.string(), fileName: z.string().default('pasted.yaml') }),
  'hunts.exportYaml': huntRef,
  'runs.start': z.object({
    hunt: z.string().min(1),
    params: z.record(paramValue).optional(),
    connection: z.string().optional(),
    window: z.object({ start: z.string().datetime(), end: z.string().datetime() }).optional(),
    timeoutMs: z.number().int().positive().optional(),
  }),
  'runs.cancel': runRef,
  'runs.get': runRef,
  'runs.list': z.object({ huntId: z.string().optional(), status: z.enum(['running', 'succeeded', 'failed', 'cancelled', 'interrupted']).optional(), limit: z.number().int().positive().max(10_000).optional() }).default({}),
  'runs.rows': runRef.extend({
    offset: z.number().int().min(0).default(0),
    limit: z.number().int().min(0).max(100_000).default(1000),
    sort: z.object({ column: z.string(), descending: z.boolean().optional() }).optional(),
    filters: z.array(filterSchema).optional(),
  }),
  'runs.histogram': runRef.extend({
    column: z.string().optional(),
    buckets: z.number().int().min(1).max(1000).default(60),
    filters: z.array(filterSchema).optional(),
  }),
  'connections.list': z.object({}).default({}),
  ...connectionApiSchemas,
  'logs.import': z.object({
    file: z.string().min(1),
    table: z.string().min(1),
    connection: z.string().optional(),
    format: z.enum(['csv', 'tsv', 'jsonl', 'json']).optional(),
    delimiter: z.string().length(1).optional(),
    replace: z.boolean().optional(),
    /** Chosen by the caller so it can follow `logs.progress` and call `logs.cancel` while the import runs. */
    importId: z.string().min(1).max(100).optional(),
  }),
  'logs.cancel': z.object({ importId: z.string().min(1).max(100) }),
  'logs.tables': z.object({ connection: z.string().optional() }).default({}),
  ...findingApiSchemas,
  ...scheduleApiSchemas,
  ...reportApiSchemas,
  ...enrichmentApiSchemas,
} as const;

export type ApiMethod = keyof typeof apiSchemas;
export type ApiArgs<M extends ApiMethod> = z.input<(typeof apiSchemas)[M]>;
export type ApiParsedArgs<M extends ApiMethod> = z.output<(typeof apiSchemas)[M]>;

export interface LogImportProgressEvent {
  importId: string;
  rows: number;
  bytesRead: number;
  totalBytes: number;
}

export interface AppInfo {
  version: string;
  dataDir: string;
  schemaVersion: number;
}

export interface RowsPage {
  columns: ResultColumn[];
  total: number;
  offset: number;
  rows: StoredValue[][];
}

export interface ApiResults extends FindingApiResults, ScheduleApiResults, ReportApiResults, ConnectionApiResults, EnrichmentApiResults {
  'app.info': AppInfo;
  'hunts.list': Hunt[];
  'hunts.get': Hunt;
  'hunts.save': Hunt;
  'hunts.delete': { id: string };
  'hunts.import': HuntImportResult;
  'hunts.importYaml': Hunt;
  'hunts.exportYaml': { yaml: string; fileName: string };
  'runs.start': { runId: number };
  /** `pending`: the run belongs to quarry daemon, which stops it within a few seconds. */
  'runs.cancel': { cancelled: boolean; pending: boolean };
  'runs.get': Run;
  'runs.list': Run[];
  'runs.rows': RowsPage;
  'runs.histogram': Histogram;
  'connections.list': Connection[];
  'logs.import': LogImportResult & { connection: string };
  /** False when no import of that id is running (it finished, or never started). */
  'logs.cancel': { cancelled: boolean };
  'logs.tables': LocalTableInfo[];
}

/** Events the engine pushes to every client. */
export interface ApiEvents extends EnrichmentApiEvents, ReportApiEvents {
  'run.started': { runId: number; huntId: string };
  'run.progress': { runId: number; rows: number };
  'run.finished': Run;
  /** An import with an `importId` on its way: rows inserted so far, bytes of the file read of its size (compressed, for .gz). */
  'logs.progress': LogImportProgressEvent;
  'schedule.status': SchedulerStatus;
  'finding.created': Finding;
  'finding.updated': FindingUpdatedEvent;
  'delivery.status': DeliveryStatusEvent;
  /** A connection's sign-in waits for the hunter (device code to enter), then how it ended. */
  'connection.signIn': SignInEvent;
}
export { apiEventNames, apiMethodNames, type ApiEventName };
export const apiMethods: readonly ApiMethod[] = apiMethodNames;

// Compile-time checks that api-names.ts, the schemas, the results and the events agree.
type Same<A, B> = [A] extends [B] ? ([B] extends [A] ? true : false) : false;
const namesMatchSchemas: Same<ApiMethodName, ApiMethod> = true;
const namesMatchResults: Same<ApiMethodName, keyof ApiResults> = true;
const eventsMatch: Same<ApiEventName, keyof ApiEvents> = true;
void [namesMatchSchemas, namesMatchResults, eventsMatch];
