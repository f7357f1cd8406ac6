import { apiEventNames, apiMethodNames } from '../../../engine/api-names';
import type { QuarryClient } from '../../../engine/client';
import { decodeBridgeError } from '../../../engine/transport/client-port';
import type { DesktopApi } from '../../../electron/ipc/channels';

/** The engine API (and the shell's desktop methods); the only way the UI talks to anything. */
export const api = (): QuarryClient & { desktop: DesktopApi } => window.quarry;

/**
 * Whether this build's engine has a method or event. Screens for capabilities
 * other issues add (schedules, findings, enrichment, reports) check this and
 * show a placeholder until the engine has them.
 */
export function has(method: string): boolean {
  return (apiMethodNames as readonly string[]).includes(method);
}
export function hasEvent(event: string): boolean {
  return (apiEventNames as readonly string[]).includes(event);
}

/**
 * Calls a method by name when its types are not in this build's contract yet
 * (a teammate's API that landed after the screen was written). Only called
 * after has(method).
 */
export function callByName(method: string, args?: unknown): Promise<unknown> {
  const [ns, verb] = method.split('.') as [string, string];
  const group = (window.quarry as unknown as Record<string, Record<string, (a?: unknown) => Promise<unknown>>>)[ns];
  const fn = group?.[verb];
  if (!fn) return Promise.reject(new Error(`this engine has no ${method}`));
  return fn(args);
}

/** The message of a failed call, as the engine phrased it. */
export function errorText(err: unknown): string {
  return decodeBridgeError(err).message;
}

/** The engine's error code of a failed call (e.g. `cancelled`, `not_found`), or null for other errors. */
export function errorCode(err: unknown): string | null {
  return decodeBridgeError(err).code;
}
