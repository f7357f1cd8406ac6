import type { EventEmitter } from 'node:events';
import { apiEventNames } from '../api-names.js';
import { toApiError, type Dispatch } from '../dispatch.js';
import { isRequest, type ServerMessage } from './protocol.js';

/**
 * Serves one client over any message transport: each request goes through the
 * dispatcher and is answered once; engine events are forwarded until close().
 */
export function serveClient(dispatch: Dispatch, events: EventEmitter, send: (msg: ServerMessage) => void): {
  receive(msg: unknown): void;
  close(): void;
} {
  const forwarders = apiEventNames.map((event) => {
    const forward = (payload: unknown): void => send({ event, payload });
    events.on(event, forward);
    return () => events.off(event, forward);
  });
  return {
    receive(msg) {
      if (!isRequest(msg)) return; // not ours: ignore rather than crash the engine
      dispatch(msg.method, msg.args).then(
        (result) => send({ id: msg.id, ok: true, result }),
        (err: unknown) => send({ id: msg.id, ok: false, error: toApiError(err) }),
      );
    },
    close() {
      for (const off of forwarders) off();
    },
  };
}
