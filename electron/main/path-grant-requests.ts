import { isPathGrantedMessage, type GrantPathMessage, type PathAccess } from '../../engine/transport/path-grants.js';

/**
 * Main's end of path grants: tells the engine a path the user picked in a
 * dialog, and resolves once the engine acknowledges. The grant travels on the
 * utility process's control channel, the page's calls on its own port, and the
 * two are not ordered, so main must wait for this before the page sees the path.
 */
export function pathGrantRequests(timeoutMs = 5000): {
  grant(post: (msg: GrantPathMessage) => void, path: string, access: PathAccess): Promise<void>;
  /** Handles the engine's acknowledgement; false for any other message. */
  receive(msg: unknown): boolean;
} {
  let nextId = 1;
  const waiting = new Map<number, { resolve(): void; timer: ReturnType<typeof setTimeout> }>();
  return {
    grant(post, path, access) {
      return new Promise((resolve, reject) => {
        const id = nextId++;
        const timer = setTimeout(() => {
          waiting.delete(id);
          reject(new Error('the engine did not take the chosen file in time'));
        }, timeoutMs);
        waiting.set(id, { resolve, timer });
        post({ type: 'grant-path', id, path, access });
      });
    },
    receive(msg) {
      if (!isPathGrantedMessage(msg)) return false;
      const w = waiting.get(msg.id);
      if (w) {
        waiting.delete(msg.id);
        clearTimeout(w.timer);
        w.resolve();
      }
      return true;
    },
  };
}
