import { QuarryError, errorMessage } from '../../../engine/errors.js';
import type { SqlServerSettings } from './settings.js';
import { targetOf } from './settings.js';

export interface FailureContext {
  connectionName: string;
  settings: SqlServerSettings;
}

interface DriverError {
  name?: string;
  code?: string | number;
  message?: string;
  number?: number | string;
  lineNumber?: number;
  originalError?: unknown;
  cause?: unknown;
  errors?: unknown[];
}

/** Every error in the chain mssql → tedious → socket (and inside AggregateErrors), outermost first. */
function chain(err: unknown): DriverError[] {
  const out: DriverError[] = [];
  const visit = (e: unknown, depth: number): void => {
    if (!e || typeof e !== 'object' || depth > 6 || out.includes(e as DriverError)) return;
    const d = e as DriverError;
    out.push(d);
    visit(d.originalError, depth + 1);
    visit(d.cause, depth + 1);
    for (const inner of Array.isArray(d.errors) ? d.errors : []) visit(inner, depth + 1);
  };
  visit(err, 0);
  return out;
}

const TLS_TRUST_CODES = new Set([
  'DEPTH_ZERO_SELF_SIGNED_CERT',
  'SELF_SIGNED_CERT_IN_CHAIN',
  'UNABLE_TO_VERIFY_LEAF_SIGNATURE',
  'UNABLE_TO_GET_ISSUER_CERT_LOCALLY',
  'CERT_HAS_EXPIRED',
  'ERR_TLS_CERT_ALTNAME_INVALID',
]);

/** A driver failure as a QuarryError that names the connection, the server and the cause. */
export function describeFailure(err: unknown, ctx: FailureContext): QuarryError {
  if (err instanceof QuarryError) return err;
  const { connectionName: name, settings } = ctx;
  const target = targetOf(settings);
  const errors = chain(err);
  const codes = new Set(errors.map((e) => String(e.code ?? '')));
  const top = errors[0] ?? {};
  const connection = (message: string) => new QuarryError('connection_failed', message);

  if (codes.has('ECANCEL')) return new QuarryError('cancelled', 'the run was cancelled');
  if (codes.has('ELOGIN')) {
    const hint = settings.authentication === 'sql' ? ': check the login name and the password stored for it' : '';
    return connection(`SQL Server at ${target} refused to sign in connection "${name}": ${top.message ?? 'login failed'}${hint}`);
  }
  if (codes.has('ENOTFOUND') || codes.has('EAI_AGAIN')) {
    return connection(`could not find the host "${settings.server}" for connection "${name}" (DNS lookup failed)`);
  }
  if (codes.has('ECONNREFUSED')) {
    return connection(`nothing accepted a connection at ${target} for connection "${name}" (connection refused): is SQL Server running and listening on TCP there?`);
  }
  if (codes.has('EHOSTUNREACH') || codes.has('ENETUNREACH')) {
    return connection(`${target} cannot be reached from this machine for connection "${name}" (no route to host)`);
  }
  if (codes.has('ETIMEOUT') && !('number' in top)) {
    return connection(`SQL Server at ${target} did not answer connection "${name}" within ${settings.connectTimeoutMs} ms (connectTimeoutMs)`);
  }
  if (codes.has('EENCRYPT')) {
    return connection(`SQL Server at ${target} requires an encrypted connection; set encrypt: true on connection "${name}"`);
  }
  if (codes.has('EINSTLOOKUP')) {
    return connection(`could not find instance "${settings.instanceName}" on ${settings.server} for connection "${name}": SQL Server Browser (UDP 1434) did not say its port`);
  }
  const tlsCode = [...codes].find((c) => TLS_TRUST_CODES.has(c));
  if (tlsCode) {
    const reason = errors.find((e) => e.code === tlsCode)?.message ?? tlsCode;
    return connection(
      `the TLS certificate of ${target} is not trusted for connection "${name}" (${reason}): install its CA, or set trustServerCertificate only for a server you know`,
    );
  }
  if (codes.has('ESOCKET') || codes.has('ECONNRESET') || codes.has('ECONNCLOSED')) {
    return connection(`the connection to SQL Server at ${target} failed for "${name}": ${top.message ?? errorMessage(err)}`);
  }
  const sqlError = errors.find((e) => typeof e.number === 'number');
  if (sqlError) {
    const where = sqlError.lineNumber ? ` at line ${sqlError.lineNumber}` : '';
    return new QuarryError('query_failed', `the query on "${name}" failed with SQL Server error ${sqlError.number}${where}: ${sqlError.message}`);
  }
  return new QuarryError('query_failed', `the query on "${name}" failed: ${errorMessage(err)}`);
}

/** Belt and braces: no message leaves with the secret in it, whatever a driver put there. */
export function scrubSecret(err: QuarryError, secret: string | null): QuarryError {
  if (!secret || !err.message.includes(secret)) return err;
  return new QuarryError(err.code, err.message.split(secret).join('***'));
}
