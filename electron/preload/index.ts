/**
 * Exposes exactly one object, `window.quarry`: the engine API as named methods
 * plus `on(event, listener)` returning an unsubscribe function. The engine's
 * MessagePort arrives once from main; calls made before it arrives are queued.
 * No ipcRenderer and no generic invoke reach the page.
 */
import { contextBridge, ipcRenderer } from 'electron';
import { createPortClient } from '../../engine/transport/client-port.js';
import type { RequestMessage, ServerMessage } from '../../engine/transport/protocol.js';

let port: MessagePort | null = null;
const queue: RequestMessage[] = [];

const client = createPortClient((msg) => {
  if (port) port.postMessage(msg);
  else queue.push(msg);
});

ipcRenderer.once('quarry:engine-port', (event) => {
  port = event.ports[0] ?? null;
  if (!port) return;
  port.onmessage = (e: MessageEvent<ServerMessage>) => client.receive(e.data);
  for (const msg of queue.splice(0)) port.postMessage(msg);
});

contextBridge.exposeInMainWorld('quarry', client.api);
