import type { ServerResponse } from 'node:http';
import type { EntraFake } from './entra-fake.js';
import { sendJson, sleep, startHttpsServer, write, type RunningServer } from './https-server.js';

/**
 * A fake Azure Monitor Log Analytics query API (`POST /v1/workspaces/{id}/query`)
 * speaking the documented wire format: `{tables:[{name, columns:[{name,type}], rows}]}`,
 * partial errors (HTTP 200 with an `error` next to the tables), OneAPI error
 * bodies, 401/403 for bad tokens and workspaces the principal cannot read,
 * 429 with Retry-After, 504 and slow answers. It checks bearer tokens against
 * the Entra fake and records every request.
 */

export interface FakeTable {
  name?: string;
  columns: Array<{ name: string; type: string }>;
  rows: unknown[][];
}

export type FakeAnswer =
  /** A 200 with this table, optionally with a partial `error`, sent in chunks of `chunkRows` rows after `delayMs`. */
  | { table: FakeTable; error?: unknown; errorFirst?: boolean; extraTables?: FakeTable[]; delayMs?: number; chunkRows?: number; stallAfterRows?: number }
  | { status: number; body?: unknown; headers?: Record<string, string>; delayMs?: number }
  /** A ready-made body (benchmarks), written in `chunkBytes` pieces. */
  | { raw: Buffer; chunkBytes?: number };

export interface LogsRequest {
  workspace: string;
  /** Authorization header present, and whether the token is one the Entra fake issued. */
  bearer: 'none' | 'valid' | 'invalid';
  prefer: string | null;
  body: { query?: string; timespan?: string; workspaces?: string[] };
}

export interface LogsFake extends RunningServer {
  /** Answers queries whose text contains `match` (or matches it): one answer per request, the last one repeating. */
  on(match: string | RegExp, answers: FakeAnswer | FakeAnswer[]): void;
  /** Lets a client id (or user) read these workspaces; others get 403. */
  grant(principal: string, workspaces: string[]): void;
  readonly requests: LogsRequest[];
}

export const oneApiError = (code: string, message: string, innererror?: Record<string, unknown>) => ({ error: { code, message, ...(innererror ? { innererror } : {}) } });

export async function startLogsFake(entra: EntraFake): Promise<LogsFake> {
  const routes: Array<{ match: string | RegExp; answers: FakeAnswer[] }> = [];
  const grants = new Map<string, Set<string>>();
  const requests: LogsRequest[] = [];

  const server = await startHttpsServer(async (req, url, raw, res) => {
    const m = /^\/v1\/workspaces\/([^/]+)\/query$/.exec(url.pathname);
    if (!m || req.method !== 'POST') return sendJson(res, 404, oneApiError('PathNotFoundError', `The requested path does not exist: ${url.pathname}`));
    const workspace = decodeURIComponent(m[1]!);
    const auth = req.headers.authorization;
    const token = auth?.startsWith('Bearer ') ? entra.tokens.get(auth.slice(7)) : undefined;
    let body: LogsRequest['body'];
    try {
      body = JSON.parse(raw.toString('utf8') || '{}');
    } catch {
      return sendJson(res, 400, oneApiError('BadArgumentError', 'The request had some invalid properties', { code: 'InvalidJson', message: 'The body is not JSON' }));
    }
    requests.push({ workspace, bearer: !auth ? 'none' : token ? 'valid' : 'invalid', prefer: ([req.headers.prefer].flat()[0] as string | undefined) ?? null, body });

    if (!auth) return sendJson(res, 401, oneApiError('AuthenticationFailed', "Authentication failed. The 'Authorization' header is missing."));
    if (!token) return sendJson(res, 403, oneApiError('InvalidAuthenticationToken', 'The access token is invalid.'));
    const principal = token.user ?? token.clientId;
    for (const ws of [workspace, ...(body.workspaces ?? [])]) {
      if (!grants.get(principal)?.has(ws)) {
        return sendJson(res, 403, oneApiError('InsufficientAccessError', 'The provided credentials have insufficient access to perform the requested operation', {
          code: 'InsufficientAccessError',
          message: `The principal does not have access to workspace '${ws}'`,
        }));
      }
    }
    const query = body.query ?? '';
    if (!query.trim()) return sendJson(res, 400, oneApiError('BadArgumentError', 'The request had some invalid properties', { code: 'EmptyQuery', message: 'The query is empty' }));
    const route = routes.find((r) => (typeof r.match === 'string' ? query.includes(r.match) : r.match.test(query)));
    if (route) return answer(res, route.answers.length > 1 ? route.answers.shift()! : route.answers[0]!);
    if (/^print\b/m.test(query)) {
      return answer(res, { table: { columns: [{ name: 'Quarry', type: 'string' }], rows: [['connection test']] } });
    }
    return sendJson(res, 400, oneApiError('BadArgumentError', 'The request had some invalid properties', {
      code: 'SemanticError',
      message: 'A semantic error occurred.',
      innererror: { code: 'SEM0100', message: `'${query.split('\n').pop()}': the Log Analytics fake has no data for this query` },
    }));
  });

  return {
    ...server,
    on: (match, answers) => void routes.unshift({ match, answers: Array.isArray(answers) ? [...answers] : [answers] }),
    grant: (principal, workspaces) => void grants.set(principal, new Set([...(grants.get(principal) ?? []), ...workspaces])),
    requests,
  };
}

/** A cell written as a bare JSON number with exactly these digits, as the service writes long and decimal values. */
export const rawNumber = (text: string): { rawNumber: string } => ({ rawNumber: text });

/** A row as the service writes it; bigint and rawNumber cells become bare JSON numbers with every digit. */
const rowJson = (row: unknown[]): string =>
  JSON.stringify(row, (_k, v: unknown) =>
    typeof v === 'bigint' ? `__raw:${v}` : v && typeof v === 'object' && 'rawNumber' in v ? `__raw:${(v as { rawNumber: string }).rawNumber}` : v,
  ).replace(/"__raw:(-?[0-9.eE+-]+)"/g, '$1');

async function answer(res: ServerResponse, a: FakeAnswer): Promise<void> {
  if ('raw' in a) {
    res.writeHead(200, { 'content-type': 'application/json; charset=utf-8', 'content-length': a.raw.length });
    const step = a.chunkBytes ?? 1 << 16;
    for (let i = 0; i < a.raw.length; i += step) await write(res, a.raw.subarray(i, i + step));
    res.end();
    return;
  }
  if (a.delayMs) await sleep(a.delayMs);
  if ('status' in a) return sendJson(res, a.status, a.body ?? '', a.headers);
  res.writeHead(200, { 'content-type': 'application/json; charset=utf-8' });
  const tableHead = (t: FakeTable) => `{"name":${JSON.stringify(t.name ?? 'PrimaryResult')},"columns":${JSON.stringify(t.columns)},"rows":[`;
  if (a.error && a.errorFirst) await write(res, `{"error":${JSON.stringify(a.error)},"tables":[`);
  else await write(res, '{"tables":[');
  const tables = [a.table, ...(a.extraTables ?? [])];
  for (const [ti, t] of tables.entries()) {
    await write(res, `${ti ? ',' : ''}${tableHead(t)}`);
    const step = a.chunkRows ?? 500;
    for (let i = 0; i < t.rows.length; i += step) {
      if (a.stallAfterRows !== undefined && i >= a.stallAfterRows) return; // hold the connection open, send nothing more
      await write(res, (i ? ',' : '') + t.rows.slice(i, i + step).map(rowJson).join(','));
    }
    await write(res, ']}');
  }
  await write(res, a.error && !a.errorFirst ? `],"error":${JSON.stringify(a.error)}}` : ']}');
  res.end();
}
