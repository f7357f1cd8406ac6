import type { ApiError } from '../dispatch.js';

/**
 * The messages every transport carries (MessagePort, loopback WebSocket):
 * requests with an id, one response per request, and pushed events.
 */
export interface RequestMessage {
  id: number;
  method: string;
  args?: unknown;
}

export type ResponseMessage =
  | { id: number; ok: true; result: unknown }
  | { id: number; ok: false; error: ApiError };

export interface EventMessage {
  event: string;
  payload: unknown;
}

export type ServerMessage = ResponseMessage | EventMessage;

export function isRequest(msg: unknown): msg is RequestMessage {
  if (typeof msg !== 'object' || msg === null) return false;
  const m = msg as Record<string, unknown>;
  return typeof m.id === 'number' && typeof m.method === 'string';
}
