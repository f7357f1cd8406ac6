import type sql from 'mssql';
import { DEFAULT_PORT, type SqlServerSettings } from './settings.js';

/** The tedious authentication block for each kind of sign-in; the secret comes from the keychain. */
function authentication(s: SqlServerSettings, secret: string): NonNullable<sql.config['authentication']> {
  switch (s.authentication) {
    case 'ntlm':
      return { type: 'ntlm', options: { userName: s.user!, password: secret, domain: s.domain! } };
    case 'entra-service-principal':
      return {
        type: 'azure-active-directory-service-principal-secret',
        options: { clientId: s.clientId!, clientSecret: secret, tenantId: s.tenantId! },
      };
    case 'sql':
      return { type: 'default', options: { userName: s.user!, password: secret } };
  }
}

/**
 * The mssql pool configuration for a connection. The secret only ever goes
 * here, in memory, never into settings or messages.
 */
export function poolConfig(s: SqlServerSettings, secret: string): sql.config {
  const config: sql.config & { validateConnection: 'socket' } = {
    server: s.server,
    // tedious asks SQL Server Browser for a named instance's port; a port given with it would be ignored anyway.
    port: s.instanceName ? undefined : (s.port ?? DEFAULT_PORT),
    database: s.database,
    connectionTimeout: s.connectTimeoutMs,
    // Quarry enforces the run's deadline itself, over the whole stream; tedious's timer stops at the first packet.
    requestTimeout: 0,
    // Rows as arrays: cheaper than objects, and duplicate column names survive.
    arrayRowMode: true,
    authentication: authentication(s, secret),
    pool: { min: 0, max: 4, idleTimeoutMillis: 30_000 },
    // Checks a pooled connection's socket instead of running `SELECT 1` before every hunt.
    validateConnection: 'socket',
    options: {
      encrypt: s.encrypt,
      trustServerCertificate: s.trustServerCertificate,
      instanceName: s.instanceName,
      appName: 'Quarry',
      // Dates arrive as UTC instants; Quarry stores ISO 8601 UTC text.
      useUTC: true,
      enableArithAbort: true,
    },
  };
  return config;
}
