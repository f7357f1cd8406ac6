import { QuarryError } from '../../../engine/errors.js';

/** The service's OneAPI error object: `{code, message, details?, innererror?}`, nested to any depth. */
interface OneApiError {
  code?: unknown;
  message?: unknown;
  details?: unknown;
  innererror?: unknown;
  line?: unknown;
  pos?: unknown;
  /** Present on the outermost body: `{"error": {...}}`. */
  error?: unknown;
}

export interface ErrorSummary {
  code: string | null;
  message: string | null;
  /** The most specific message in the chain (the parser's own words for a KQL error). */
  innermost: string | null;
  innerCode: string | null;
  line: number | null;
  pos: number | null;
}

const asObject = (v: unknown): OneApiError | null => (v && typeof v === 'object' && !Array.isArray(v) ? (v as OneApiError) : null);

/** Walks `innererror` (and the first of `details`) to the deepest level, keeping the last message, code and position seen. */
export function summarizeError(value: unknown): ErrorSummary {
  const top = asObject(asObject(value)?.error ?? value) as OneApiError | null;
  const out: ErrorSummary = { code: null, message: null, innermost: null, innerCode: null, line: null, pos: null };
  if (!top) return out;
  out.code = typeof top.code === 'string' ? top.code : null;
  out.message = typeof top.message === 'string' ? top.message : null;
  let node: OneApiError | null = top;
  for (let depth = 0; node && depth < 20; depth++) {
    if (typeof node.message === 'string' && node.message) out.innermost = node.message;
    if (depth > 0 && typeof node.code === 'string') out.innerCode = node.code;
    if (typeof node.line === 'number') out.line = node.line;
    if (typeof node.pos === 'number') out.pos = node.pos;
    const details: unknown[] = Array.isArray(node.details) ? node.details : [];
    node = asObject(node.innererror) ?? asObject(details[0]);
  }
  return out;
}

/** All distinct messages of a partial error's details, for the warning shown on the run. */
export function partialErrorText(value: unknown): string {
  const s = summarizeError(value);
  const messages = new Set<string>();
  const top = asObject(asObject(value)?.error ?? value);
  const details: unknown[] = Array.isArray(top?.details) ? (top!.details as unknown[]) : [];
  for (const d of details) {
    const inner = summarizeError(d).innermost;
    if (inner) messages.add(inner);
  }
  if (messages.size === 0 && s.innermost && s.innermost !== s.message) messages.add(s.innermost);
  const head = s.message ?? s.code ?? 'the service reported an error';
  return messages.size ? `${head}: ${[...messages].join('; ')}` : head;
}

function parseBody(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return null;
  }
}

export interface FailureContext {
  connection: string;
  workspaces: string[];
  /** Lines Quarry put before the hunt's query (its `let` statements). */
  prefixLines: number;
  serverTimeoutSeconds?: number;
  attempts: number;
}

/** Moves positions the service reports (`line [3,14]`, `line: 3`) back onto the hunt's own lines. */
function huntPosition(s: ErrorSummary, prefixLines: number): string {
  if (s.line === null) return '';
  const line = s.line - prefixLines;
  if (line < 1) return ' (in the parameter bindings Quarry added; check the hunt parameter values)';
  return ` (line ${line}${s.pos !== null ? `, position ${s.pos}` : ''})`;
}

const shiftLines = (message: string, prefixLines: number): string =>
  prefixLines ? message.replace(/line \[(\d+),(\d+)\]/g, (_, l: string, p: string) => `line [${Number(l) - prefixLines},${p}]`) : message;

/** A non-2xx answer of the query API as the error a hunter can act on. Never includes request headers (the token). */
export function queryFailure(status: number, bodyText: string, ctx: FailureContext): QuarryError {
  const s = summarizeError(parseBody(bodyText));
  const conn = `"${ctx.connection}"`;
  const code = [s.code, s.innerCode].filter(Boolean).join('/');
  const said = s.innermost ? `: ${shiftLines(s.innermost, ctx.prefixLines)}` : bodyText && !s.code ? `: ${bodyText.slice(0, 300)}` : '';
  const tag = `(HTTP ${status}${code ? ` ${code}` : ''})`;
  const ws = ctx.workspaces.join(', ');
  switch (true) {
    case status === 400:
      return new QuarryError('query_failed', `KQL error on ${conn}${said}${huntPosition(s, ctx.prefixLines)} ${tag}`);
    case status === 401:
      return new QuarryError(
        'connection_failed',
        `Log Analytics did not accept the sign-in of ${conn}${said} ${tag}: check the tenant, client id and secret, and the endpoint/audience`,
      );
    case status === 403:
      return new QuarryError(
        'connection_failed',
        `${conn} has no access to workspace ${ws}${said} ${tag}: grant the app or user the Log Analytics Reader role on it`,
      );
    case status === 404:
      return new QuarryError('connection_failed', `Log Analytics found no workspace ${ws} for ${conn}${said} ${tag}`);
    case status === 504:
      return new QuarryError(
        'query_failed',
        `the query on ${conn} ran past the service's time limit${ctx.serverTimeoutSeconds ? ` (Prefer: wait=${ctx.serverTimeoutSeconds})` : ' (3 minutes by default)'} and was stopped${said} ${tag}: narrow the time range, or raise serverTimeoutSeconds (at most 600)`,
      );
    case status === 429:
      return new QuarryError('query_failed', `Log Analytics is throttling ${conn}${said} ${tag}; gave up after ${ctx.attempts} attempts, try again later`);
    case status >= 500:
      return new QuarryError('query_failed', `Log Analytics failed for ${conn}${said} ${tag} after ${ctx.attempts} attempts`);
    default:
      return new QuarryError('query_failed', `Log Analytics refused the query on ${conn}${said} ${tag}`);
  }
}
