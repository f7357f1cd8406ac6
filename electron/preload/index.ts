/**
 * Exposes exactly one object, `window.quarry`: the engine API as named methods
 * plus `on(event, listener)` returning an unsubscribe function, and
 * `quarry.desktop`, the four named things only the shell can do (open a link
 * in the browser, a save dialog, an open-file dialog, the native theme). The engine's MessagePort
 * arrives from main on every page load; calls made before it arrives are
 * queued. No ipcRenderer and no generic invoke reach the page.
 */
import { contextBridge, ipcRenderer } from 'electron';
import { createPortClient } from '../../engine/transport/client-port.js';
import type { RequestMessage, ServerMessage } from '../../engine/transport/protocol.js';
import { desktopChannels, enginePortChannel, type DesktopApi } from '../ipc/channels.js';

let port: MessagePort | null = null;
const queue: RequestMessage[] = [];

// Errors cross the contextBridge as a message only: the engine's error code rides in it (see decodeBridgeError).
const client = createPortClient(
  (msg) => {
    if (port) port.postMessage(msg);
    else queue.push(msg);
  },
  { codeInMessage: true },
);

ipcRenderer.on(enginePortChannel, (event) => {
  // Only main can post on this channel (the page has no ipcRenderer); a second port replaces the first.
  const next = event.ports[0];
  if (!next) return;
  port?.close();
  port = next;
  port.onmessage = (e: MessageEvent<ServerMessage>) => client.receive(e.data);
  for (const msg of queue.splice(0)) port.postMessage(msg);
});

const desktop: DesktopApi = {
  openLink: (url) => ipcRenderer.invoke(desktopChannels.openLink, String(url)),
  chooseSavePath: (request) => ipcRenderer.invoke(desktopChannels.chooseSavePath, request),
  chooseOpenPath: (request) => ipcRenderer.invoke(desktopChannels.chooseOpenPath, request),
  setTheme: (theme) => ipcRenderer.invoke(desktopChannels.setTheme, theme),
};

contextBridge.exposeInMainWorld('quarry', { ...client.api, desktop });
