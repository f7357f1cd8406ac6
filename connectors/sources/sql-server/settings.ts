import { z } from 'zod';
import type { Connection } from '../../../engine/types.js';
import { QuarryError } from '../../../engine/errors.js';

export const DEFAULT_PORT = 1433;
export const DEFAULT_CONNECT_TIMEOUT_MS = 15_000;
/** How long a hunt's query may run when neither the run nor the connection says otherwise. */
export const DEFAULT_REQUEST_TIMEOUT_MS = 5 * 60_000;

const name = (what: string) => z.string().trim().min(1, `${what} must not be empty`);

/**
 * The non-secret settings of a SQL Server connection, as stored in SQLite.
 * Strict: a password or client secret can never ride along as a setting; they
 * live in the keychain (`password` for SQL and Windows logins, `clientSecret`
 * for an Entra ID service principal).
 */
export const sqlServerSettingsSchema = z
  .object({
    server: name('server').refine((s) => !s.includes('\\'), 'give the host only; put a named instance in instanceName'),
    /** TCP port; left out with an instance name, whose port SQL Server Browser (UDP 1434) tells. */
    port: z.number().int().min(1).max(65_535).optional(),
    instanceName: name('instanceName').optional(),
    database: name('database').optional(),
    encrypt: z.boolean().default(true),
    /** Skips certificate validation: only for servers with a self-signed certificate you trust. */
    trustServerCertificate: z.boolean().default(false),
    authentication: z.enum(['sql', 'ntlm', 'entra-service-principal']).default('sql'),
    /** SQL login name, or the Windows account name for NTLM. */
    user: name('user').optional(),
    /** Windows domain for NTLM. */
    domain: name('domain').optional(),
    tenantId: name('tenantId').optional(),
    clientId: name('clientId').optional(),
    connectTimeoutMs: z.number().int().min(100).max(600_000).default(DEFAULT_CONNECT_TIMEOUT_MS),
    /** Longest a query may run (a run's own timeout, when given, wins). */
    requestTimeoutMs: z.number().int().min(100).max(24 * 3_600_000).default(DEFAULT_REQUEST_TIMEOUT_MS),
  })
  .strict()
  .superRefine((s, ctx) => {
    const need = (field: 'user' | 'domain' | 'tenantId' | 'clientId', why: string): void => {
      if (!s[field]) ctx.addIssue({ code: z.ZodIssueCode.custom, path: [field], message: `${field} is required ${why}` });
    };
    if (s.authentication === 'sql') need('user', 'for a SQL login');
    if (s.authentication === 'ntlm') {
      need('user', 'for Windows (NTLM) sign-in');
      need('domain', 'for Windows (NTLM) sign-in');
    }
    if (s.authentication === 'entra-service-principal') {
      need('tenantId', 'for an Entra ID service principal');
      need('clientId', 'for an Entra ID service principal');
    }
  });

export type SqlServerSettings = z.output<typeof sqlServerSettingsSchema>;
export type SqlServerSettingsInput = z.input<typeof sqlServerSettingsSchema>;

/** Every secret a SQL Server connection may keep in the keychain. */
export const sqlServerSecretFields = ['password', 'clientSecret'] as const;
export type SqlServerSecretField = (typeof sqlServerSecretFields)[number];

/** The one secret these settings sign in with. */
export function secretFieldOf(settings: Pick<SqlServerSettings, 'authentication'>): SqlServerSecretField {
  return settings.authentication === 'entra-service-principal' ? 'clientSecret' : 'password';
}

export function requiredSqlServerSecrets(settings: Record<string, unknown>): string[] {
  return [secretFieldOf({ authentication: (settings.authentication as SqlServerSettings['authentication']) ?? 'sql' })];
}

export function parseSqlServerSettings(connection: Pick<Connection, 'name' | 'settings'>): SqlServerSettings {
  const parsed = sqlServerSettingsSchema.safeParse(connection.settings);
  if (!parsed.success) {
    // Issues name the setting, never echo its value.
    const issues = parsed.error.issues.map((i) => `${i.path.join('.') || 'settings'}: ${i.message}`).join('; ');
    throw new QuarryError('invalid_input', `connection "${connection.name}" has invalid SQL Server settings: ${issues}`);
  }
  return parsed.data;
}

/** How the server is named in messages: `host:port`, or `host\instance`. */
export function targetOf(s: Pick<SqlServerSettings, 'server' | 'port' | 'instanceName'>): string {
  return s.instanceName ? `${s.server}\\${s.instanceName}` : `${s.server}:${s.port ?? DEFAULT_PORT}`;
}
