import type { Engine } from './engine.js';
import { apiSchemas, type ApiMethod } from './api.js';
import { QuarryError, errorMessage, type QuarryErrorCode } from './errors.js';
import { formatZodError } from './validation.js';
import { huntHandlers } from './handlers/hunts.js';
import { runHandlers } from './handlers/runs.js';
import { miscHandlers } from './handlers/misc.js';
import { logHandlers } from './handlers/logs.js';
import { findingHandlers } from './handlers/findings.js';
import { scheduleHandlers } from './handlers/schedules.js';
import { reportHandlers } from './handlers/reports.js';
import { connectionApiHandlers } from './handlers/connections.js';
import { enrichmentHandlers } from './handlers/enrichment.js';

/** What a failed call returns over any transport: a code to branch on and a message to show. */
export interface ApiError {
  code: QuarryErrorCode;
  message: string;
}

export type Dispatch = (method: string, args: unknown) => Promise<unknown>;

const handlers = { ...huntHandlers, ...runHandlers, ...miscHandlers, ...logHandlers, ...findingHandlers, ...scheduleHandlers, ...reportHandlers, ...connectionApiHandlers, ...enrichmentHandlers } as Record<ApiMethod, (e: Engine, a: unknown) => unknown>;

/**
 * The single entry point of every transport: checks the method exists,
 * validates its arguments, runs the handler. Unknown methods and invalid
 * arguments are rejected before any engine code runs.
 */
export function createDispatcher(engine: Engine): Dispatch {
  return async (method, args) => {
    if (!Object.hasOwn(apiSchemas, method)) throw new QuarryError('invalid_input', `unknown API method: ${method}`);
    const schema = apiSchemas[method as ApiMethod];
    const parsed = schema.safeParse(args ?? undefined);
    if (!parsed.success) throw new QuarryError('invalid_input', `${method}: ${formatZodError(parsed.error)}`);
    return handlers[method as ApiMethod](engine, parsed.data);
  };
}

export function toApiError(err: unknown): ApiError {
  if (err instanceof QuarryError) return { code: err.code, message: err.message };
  return { code: 'internal', message: errorMessage(err) };
}
