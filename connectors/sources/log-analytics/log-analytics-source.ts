import type https from 'node:https';
import type { Connection } from '../../../engine/types.js';
import { QuarryError, errorMessage } from '../../../engine/errors.js';
import type { ResultSink, SignInEvent, Source, SourceContext, SourceQuery } from '../types.js';
import { logAnalyticsSettingsSchema, DEFAULT_REQUEST_TIMEOUT_MS, MAX_SERVER_TIMEOUT_SECONDS, type LogAnalyticsSettings } from './settings.js';
import { prepareKql, type PreparedKql } from './kql-parameters.js';
import { readLogsResponse } from './read-response.js';
import { defaultRetryPolicy, realSleep, sendWithRetry, TransportError, type RetryPolicy, type Sleep } from './http.js';
import { queryFailure } from './errors.js';
import { queryToken, type CredentialDeps } from './credentials.js';

export interface LogAnalyticsSourceOptions {
  /** TLS trust, keep-alive or proxying for both sign-in and queries (tests pass one trusting their CA). */
  agent?: https.Agent;
  retry?: Partial<RetryPolicy>;
  /** How retries wait; tests record the waits instead of sleeping. */
  sleep?: Sleep;
  onSignIn?: (event: SignInEvent) => void;
  batchRows?: number;
}

/** A SourceContext that can also show sign-in prompts (device code) to the hunter. */
export interface LogAnalyticsContext extends SourceContext {
  onSignIn?(event: SignInEvent): void;
  /** False where a library must not launch a browser itself (the desktop app's engine); see credentials.ts. */
  browserSignIn?: boolean;
}

/** Without a listener, device-code instructions go to standard error. */
const printSignIn = (e: SignInEvent): void => {
  if (e.state === 'waiting') process.stderr.write(`${e.message}\n`);
};

export function parseLogAnalyticsSettings(connection: Pick<Connection, 'name' | 'settings'>): LogAnalyticsSettings {
  const parsed = logAnalyticsSettingsSchema.safeParse(connection.settings);
  if (!parsed.success) {
    const issues = parsed.error.issues.map((i) => `${i.path.join('.') || 'settings'}: ${i.message}`).join('; ');
    throw new QuarryError('invalid_input', `connection "${connection.name}" has invalid Log Analytics settings: ${issues}`);
  }
  return parsed.data;
}

/** KQL hunts against an Azure Monitor Log Analytics workspace (plus any additional ones) through the documented query REST API. */
export function createLogAnalyticsSource(connection: Connection, ctx: LogAnalyticsContext, options: LogAnalyticsSourceOptions = {}): Source {
  const settings = parseLogAnalyticsSettings(connection);
  const credentials: CredentialDeps = {
    connectionId: connection.id,
    connectionName: connection.name,
    settings,
    clientSecret: () => ctx.secret('clientSecret'),
    onSignIn: options.onSignIn ?? ctx.onSignIn?.bind(ctx) ?? printSignIn,
    browserSignIn: ctx.browserSignIn,
    agent: options.agent,
  };
  const http = {
    agent: options.agent,
    retry: { ...defaultRetryPolicy, ...options.retry },
    sleep: options.sleep ?? realSleep,
    idleTimeoutMs: settings.requestTimeoutMs ?? DEFAULT_REQUEST_TIMEOUT_MS,
  };
  const workspaces = [settings.workspaceId, ...settings.additionalWorkspaces];

  /** Runs one query; resolves with the response body for the caller to stream. */
  async function post(prepared: PreparedKql, q: { signal: AbortSignal; timeoutMs?: number }) {
    const token = await queryToken(credentials, q.signal);
    // The service's own limit (3 minutes unless asked) is lowered to the run's timeout, never raised past 10 minutes.
    const fromRun = q.timeoutMs ? Math.max(1, Math.ceil(q.timeoutMs / 1000)) : undefined;
    const asked = [settings.serverTimeoutSeconds, fromRun].filter((n): n is number => n !== undefined);
    const wait = asked.length ? Math.min(MAX_SERVER_TIMEOUT_SECONDS, ...asked) : undefined;
    const body: Record<string, unknown> = { query: prepared.text };
    if (prepared.timespan) body.timespan = prepared.timespan;
    if (settings.additionalWorkspaces.length) body.workspaces = settings.additionalWorkspaces;
    const url = new URL(`${settings.endpoint}/v1/workspaces/${encodeURIComponent(settings.workspaceId)}/query`);
    const res = await sendWithRetry(
      {
        method: 'POST',
        url,
        headers: {
          authorization: `Bearer ${token.token}`,
          'content-type': 'application/json',
          accept: 'application/json',
          ...(wait ? { prefer: `wait=${wait}` } : {}),
          'x-ms-app': 'Quarry',
        },
        body: JSON.stringify(body),
      },
      http,
      q.signal,
    );
    if (!res.ok) {
      throw queryFailure(res.status, res.text, {
        connection: connection.name,
        workspaces,
        prefixLines: prepared.prefixLines,
        serverTimeoutSeconds: settings.serverTimeoutSeconds,
        attempts: res.attempts,
      });
    }
    return res;
  }

  return {
    run: (q, sink) => guarded(q, (signal) => runQuery(q, signal, sink)),
    async test(signal) {
      const q = { signal: signal ?? new AbortController().signal, timeoutMs: settings.requestTimeoutMs };
      return guarded(q, async (s) => {
        let rows = 0;
        const res = await post(prepareKql({ query: 'print Quarry = "connection test"', parameters: [] }), { signal: s, timeoutMs: q.timeoutMs });
        await readLogsResponse(res.body, { connectionName: connection.name, signal: s }, {
          setColumns: () => undefined,
          writePacked: async (batch) => void (rows += batch.rows),
          warn: () => undefined,
        });
        if (rows !== 1) throw new QuarryError('connection_failed', `Log Analytics answered "${connection.name}" with ${rows} rows for a one-row test query`);
        const more = settings.additionalWorkspaces.length ? ` (+${settings.additionalWorkspaces.length} more)` : '';
        return `Log Analytics workspace ${settings.workspaceId}${more} at ${settings.endpoint}, signed in by ${settings.auth} (tenant ${settings.tenantId})`;
      });
    },
    async close() {},
  };

  async function runQuery(q: SourceQuery, signal: AbortSignal, sink: ResultSink): Promise<void> {
    const prepared = prepareKql(q);
    const res = await post(prepared, { signal, timeoutMs: q.timeoutMs });
    await readLogsResponse(res.body, { connectionName: connection.name, signal, batchRows: options.batchRows }, sink);
  }

  /** Applies the run's deadline and turns every failure into a QuarryError naming the connection, with the secret scrubbed. */
  async function guarded<T>(q: { signal: AbortSignal; timeoutMs?: number }, fn: (signal: AbortSignal) => Promise<T>): Promise<T> {
    const deadline = q.timeoutMs ? AbortSignal.timeout(q.timeoutMs) : null;
    const signal = deadline ? AbortSignal.any([q.signal, deadline]) : q.signal;
    try {
      return await fn(signal);
    } catch (err) {
      throw await scrub(describeFailure(err, q.signal, deadline, q.timeoutMs));
    }
  }

  function describeFailure(err: unknown, userSignal: AbortSignal, deadline: AbortSignal | null, timeoutMs?: number): QuarryError {
    if (userSignal.aborted) return new QuarryError('cancelled', 'the run was cancelled');
    if (deadline?.aborted) return new QuarryError('query_failed', `the query on "${connection.name}" did not finish within ${timeoutMs} ms`);
    if (err instanceof QuarryError) return err;
    if (err instanceof TransportError) {
      if (err.code === 'TIMEOUT') {
        return new QuarryError('query_failed', `Log Analytics at ${settings.endpoint} did not answer "${connection.name}" in time: ${err.message} (requestTimeoutMs)`);
      }
      return new QuarryError(
        'connection_failed',
        `could not reach Log Analytics at ${settings.endpoint} for "${connection.name}": ${err.message}${err.attempts > 1 ? ` (after ${err.attempts} attempts)` : ''}`,
      );
    }
    if (err instanceof SyntaxError || (err instanceof Error && /response body ended/.test(err.message))) {
      return new QuarryError('query_failed', `Log Analytics sent an unreadable answer to "${connection.name}": ${err.message}`);
    }
    return new QuarryError('query_failed', `the query on "${connection.name}" failed: ${errorMessage(err)}`);
  }

  /** Belt and braces: no message leaves with the client secret in it, whatever a library put there. */
  async function scrub(err: QuarryError): Promise<QuarryError> {
    const secret = settings.auth === 'client-secret' ? await ctx.secret('clientSecret').catch(() => null) : null;
    if (!secret || !err.message.includes(secret)) return err;
    return new QuarryError(err.code, err.message.split(secret).join('***'));
  }
}

