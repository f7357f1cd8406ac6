import { z } from 'zod';
import type { Connection } from '../types.js';
import type { ConnectionRegistry, ConnectionTestResult, SecretStatus } from './registry.js';

/**
 * The connections part of the engine API, ready for engine/api.ts to spread
 * into `apiSchemas` / `ApiResults` and for the dispatcher to route to.
 * Secrets only go in (add, setSecret); nothing here returns one. Device-code
 * sign-ins reach clients as the `connection.signIn` event (see engine.ts).
 */

const connectionRef = z.object({ connection: z.string().min(1) });
const secretField = z.string().regex(/^[A-Za-z][A-Za-z0-9_]*$/, 'secret field names are letters, digits and _');

export const connectionApiSchemas = {
  'connections.add': z.object({
    kind: z.enum(['local', 'log-analytics', 'sql-server']),
    name: z.string().min(1),
    settings: z.record(z.unknown()).default({}),
    /** Write-only: stored in the OS keychain, never echoed back. */
    secrets: z.record(secretField, z.string().min(1)).default({}),
  }),
  'connections.get': connectionRef,
  'connections.remove': connectionRef,
  'connections.test': connectionRef,
  'connections.cancelTest': connectionRef,
  /** Non-secret settings only: merged over the stored ones, `unset` ones go back to their defaults; secrets are untouched. */
  'connections.update': connectionRef.extend({
    settings: z.record(z.unknown()).default({}),
    unset: z.array(z.string().min(1)).default([]),
  }),
  'connections.secretStatus': connectionRef,
  'connections.setSecret': connectionRef.extend({ field: secretField, value: z.string().min(1) }),
  'connections.clearSecret': connectionRef.extend({ field: secretField }),
} as const;

export type ConnectionApiMethod = keyof typeof connectionApiSchemas;
export type ConnectionApiArgs<M extends ConnectionApiMethod> = z.output<(typeof connectionApiSchemas)[M]>;

export interface ConnectionApiResults {
  'connections.add': Connection;
  'connections.get': Connection & { secrets: SecretStatus[] };
  'connections.remove': { name: string; secretsDeleted: number };
  'connections.test': ConnectionTestResult;
  'connections.cancelTest': { cancelled: boolean };
  'connections.update': Connection & { secrets: SecretStatus[] };
  'connections.secretStatus': SecretStatus[];
  'connections.setSecret': { connection: string; field: string; set: true };
  'connections.clearSecret': { connection: string; field: string; deleted: boolean };
}

type Handlers = { [M in ConnectionApiMethod]: (args: ConnectionApiArgs<M>) => Promise<ConnectionApiResults[M]> };

/** Handlers over a registry; `signal` aborts every test they start (clients cancel one with `connections.cancelTest`). */
export function connectionHandlers(registry: ConnectionRegistry, signal?: AbortSignal): Handlers {
  return {
    'connections.add': (a) => registry.add(a.kind, a.name, a.settings, a.secrets),
    'connections.get': async (a) => ({ ...registry.get(a.connection), secrets: await registry.secretStatus(a.connection) }),
    'connections.remove': (a) => registry.remove(a.connection),
    'connections.test': (a) => registry.test(a.connection, signal),
    'connections.cancelTest': async (a) => ({ cancelled: registry.cancelTest(a.connection) }),
    'connections.update': async (a) => {
      const c = await registry.update(a.connection, { settings: a.settings, unset: a.unset });
      return { ...c, secrets: await registry.secretStatus(c.id) };
    },
    'connections.secretStatus': (a) => registry.secretStatus(a.connection),
    'connections.setSecret': async (a) => {
      await registry.setSecret(a.connection, a.field, a.value);
      return { connection: registry.get(a.connection).name, field: a.field, set: true as const };
    },
    'connections.clearSecret': async (a) => ({
      connection: registry.get(a.connection).name,
      field: a.field,
      deleted: await registry.clearSecret(a.connection, a.field),
    }),
  };
}
