/**
 * Runs in the page before the app (Playwright addInitScript): builds
 * `window.quarry` exactly as the preload does, from the same client code
 * (engine/transport/client-port.ts), but over the bridge's WebSocket instead
 * of a MessagePort. `desktop` methods are recorded so tests can check them;
 * the file dialogs are answered on the Node side (dialogs.ts), which grants the
 * engine each path before the page gets it, as main does.
 */
import { createPortClient } from '../../../engine/transport/client-port.js';
import type { RequestMessage, ServerMessage } from '../../../engine/transport/protocol.js';
import type { DesktopApi, OpenPathRequest, SavePathRequest } from '../../../electron/ipc/channels.js';
import type { QuarryClient } from '../../../engine/client.js';

interface BridgeConfig {
  socketUrl: string;
  token: string;
}

declare global {
  interface Window {
    __QUARRY_BRIDGE__: BridgeConfig;
    quarry: QuarryClient & { desktop: DesktopApi };
    __quarryDesktopCalls: Array<{ method: string; arg: unknown }>;
    /** The bridge's dialog stand-ins (Playwright exposeFunction), in main's place. */
    __quarryDialog(method: 'chooseSavePath' | 'chooseOpenPath', req: SavePathRequest | OpenPathRequest): Promise<string | null>;
  }
}

const config = window.__QUARRY_BRIDGE__;
const socket = new WebSocket(`${config.socketUrl}?token=${encodeURIComponent(config.token)}`);
const queue: RequestMessage[] = [];
// As the preload does: errors carry their code in the message, as they must across Electron's contextBridge.
const client = createPortClient(
  (msg) => {
    if (socket.readyState === WebSocket.OPEN) socket.send(JSON.stringify(msg));
    else queue.push(msg);
  },
  { codeInMessage: true },
);
socket.addEventListener('open', () => {
  for (const msg of queue.splice(0)) socket.send(JSON.stringify(msg));
});
socket.addEventListener('message', (e: MessageEvent<string>) => client.receive(JSON.parse(e.data) as ServerMessage));

window.__quarryDesktopCalls = [];
const record = (method: string, arg: unknown): void => void window.__quarryDesktopCalls.push({ method, arg });
const desktop: DesktopApi = {
  openLink: async (url) => {
    record('openLink', url);
    return /^https?:/i.test(url);
  },
  chooseSavePath: async (req: SavePathRequest) => {
    record('chooseSavePath', req);
    return window.__quarryDialog('chooseSavePath', req);
  },
  chooseOpenPath: async (req: OpenPathRequest) => {
    record('chooseOpenPath', req);
    return window.__quarryDialog('chooseOpenPath', req);
  },
  setTheme: async (theme) => record('setTheme', theme),
};

// Frozen like a contextBridge object: the page cannot swap methods out from under the app.
Object.defineProperty(window, 'quarry', { value: Object.freeze({ ...client.api, desktop: Object.freeze(desktop) }), writable: false });
