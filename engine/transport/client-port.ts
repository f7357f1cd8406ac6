import { apiEventNames, apiMethodNames, type ApiEventName } from '../api-names.js';
import type { RequestMessage, ServerMessage } from './protocol.js';

/** A failed API call as the renderer sees it: the engine's error code and message. */
export class ApiCallError extends Error {
  constructor(
    readonly code: string,
    message: string,
  ) {
    super(message);
    this.name = 'ApiCallError';
  }
}

type Listener = (payload: unknown) => void;

/**
 * Electron's contextBridge passes only an error's message to the page (it
 * rebuilds the Error there), so the preload carries the code inside it:
 * "[not_found] hunt not found: x". decodeBridgeError takes it back out.
 */
const BRIDGE_CODE = /^\[([a-z_]+)\] /;
export const encodeBridgeError = (code: string, message: string): Error => new Error(`[${code}] ${message}`);
export function decodeBridgeError(err: unknown): { code: string | null; message: string } {
  if (err instanceof ApiCallError) return { code: err.code, message: err.message };
  const message = err instanceof Error ? err.message : String(err);
  const m = BRIDGE_CODE.exec(message);
  return m ? { code: m[1]!, message: message.slice(m[0].length) } : { code: null, message };
}

export interface PortClientOptions {
  /** Reject with encodeBridgeError (for a contextBridge) instead of an ApiCallError. */
  codeInMessage?: boolean;
}

/**
 * The client end of the transport, shared by the preload (MessagePort) and the
 * e2e bridge (WebSocket): named methods built from api-names, each a request
 * answered by id, plus event subscriptions that return an unsubscribe function.
 */
export function createPortClient(post: (msg: RequestMessage) => void, opts: PortClientOptions = {}): {
  api: Record<string, unknown>;
  receive(msg: ServerMessage): void;
} {
  let nextId = 1;
  const pending = new Map<number, { resolve(v: unknown): void; reject(e: Error): void }>();
  const listeners = new Map<string, Set<Listener>>();
  const api: Record<string, Record<string, unknown> | unknown> = {};
  for (const method of apiMethodNames) {
    const [ns, verb] = method.split('.') as [string, string];
    const group = (api[ns] ??= {}) as Record<string, unknown>;
    group[verb] = (args?: unknown) =>
      new Promise((resolve, reject) => {
        const id = nextId++;
        pending.set(id, { resolve, reject });
        post({ id, method, args });
      });
  }
  api.on = (event: ApiEventName, listener: Listener): (() => void) => {
    if (!apiEventNames.includes(event)) throw new Error(`unknown event: ${String(event)}`);
    const set = listeners.get(event) ?? new Set<Listener>();
    listeners.set(event, set);
    set.add(listener);
    return () => void set.delete(listener);
  };
  return {
    api,
    receive(msg) {
      if ('event' in msg) {
        for (const l of listeners.get(msg.event) ?? []) l(msg.payload);
        return;
      }
      const p = pending.get(msg.id);
      if (!p) return;
      pending.delete(msg.id);
      if (msg.ok) p.resolve(msg.result);
      else p.reject(opts.codeInMessage ? encodeBridgeError(msg.error.code, msg.error.message) : new ApiCallError(msg.error.code, msg.error.message));
    },
  };
}
