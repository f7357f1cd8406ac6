import { z } from 'zod';
import type { ConnectionKind } from '../types.js';
import type { SourceFactory } from '../../connectors/sources/types.js';
import { createLocalSource } from '../../connectors/sources/local/local-source.js';
import { createLogAnalyticsSource } from '../../connectors/sources/log-analytics/log-analytics-source.js';
import { forgetCredentials } from '../../connectors/sources/log-analytics/credentials.js';
import {
  logAnalyticsSecretFields,
  logAnalyticsSettingsSchema,
  requiredLogAnalyticsSecrets,
  type LogAnalyticsSettings,
} from '../../connectors/sources/log-analytics/settings.js';
import {
  createSqlServerSource,
  requiredSqlServerSecrets,
  sqlServerSecretFields,
  sqlServerSettingsSchema,
} from '../../connectors/sources/sql-server/sql-server-source.js';

/**
 * What the engine knows about each kind of connection: how to validate its
 * non-secret settings (stored in SQLite), which secrets it may keep (only in
 * the keychain), and how to open a source for it.
 */
export interface ConnectionKindSpec {
  kind: ConnectionKind;
  /** Validates and fills defaults; must reject unknown keys, so a secret can never ride along as a setting. */
  parseSettings(settings: Record<string, unknown>, name: string): Record<string, unknown>;
  secretFields: readonly string[];
  /** The secrets these settings cannot work without (e.g. clientSecret for client-secret sign-in). */
  requiredSecrets(settings: Record<string, unknown>): string[];
  factory: SourceFactory;
  /** Drops anything the kind caches for a connection (signed-in credentials) once its secrets change or it is removed. */
  forget?(connectionId: string): void;
}

export type ConnectionKinds = Partial<Record<ConnectionKind, ConnectionKindSpec>>;

/** Zod-backed parseSettings whose issues name the setting but never echo its value. */
function withSchema<S extends z.ZodTypeAny>(schema: S): (settings: Record<string, unknown>) => Record<string, unknown> {
  return (settings) => {
    const parsed = schema.safeParse(settings);
    if (parsed.success) return parsed.data as Record<string, unknown>;
    throw new Error(parsed.error.issues.map((i) => `${i.path.join('.') || 'settings'}: ${i.message}`).join('; '));
  };
}

const localSettings = z.object({ file: z.string().min(1).optional() }).strict();

export const localKind: ConnectionKindSpec = {
  kind: 'local',
  parseSettings: (settings, name) => ({ file: `local/${name}.db`, ...withSchema(localSettings)(settings) }),
  secretFields: [],
  requiredSecrets: () => [],
  factory: createLocalSource,
};

export const logAnalyticsKind: ConnectionKindSpec = {
  kind: 'log-analytics',
  parseSettings: withSchema(logAnalyticsSettingsSchema),
  secretFields: logAnalyticsSecretFields,
  requiredSecrets: (s) => requiredLogAnalyticsSecrets(s as LogAnalyticsSettings),
  factory: createLogAnalyticsSource,
  forget: forgetCredentials,
};

export const sqlServerKind: ConnectionKindSpec = {
  kind: 'sql-server',
  parseSettings: withSchema(sqlServerSettingsSchema),
  secretFields: sqlServerSecretFields,
  requiredSecrets: requiredSqlServerSecrets,
  factory: createSqlServerSource,
};

export const defaultConnectionKinds: ConnectionKinds = {
  local: localKind,
  'log-analytics': logAnalyticsKind,
  'sql-server': sqlServerKind,
};

/** The kind → factory map Engine takes as its `sources` option. */
export function sourceFactories(kinds: ConnectionKinds = defaultConnectionKinds): Partial<Record<ConnectionKind, SourceFactory>> {
  return Object.fromEntries(Object.entries(kinds).map(([k, spec]) => [k, spec!.factory]));
}
