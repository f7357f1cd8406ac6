/**
 * Runs inside Electron's utilityProcess: the engine, with the OS keychain,
 * serving each window over the MessagePort main hands it. No Electron UI
 * code here, and a slow query never blocks a window.
 */
import { Engine } from '../../engine/engine.js';
import { createDispatcher } from '../../engine/dispatch.js';
import { serveClient } from '../../engine/transport/serve.js';
import { createCliSecretStore } from '../../engine/cli/secrets.js';

interface PortLike {
  on(event: 'message', listener: (e: { data: unknown }) => void): void;
  on(event: 'close', listener: () => void): void;
  postMessage(msg: unknown): void;
  start(): void;
}

async function startEngineHost(): Promise<void> {
  const dataDir = process.env.QUARRY_DATA_DIR;
  if (!dataDir) throw new Error('the engine host needs QUARRY_DATA_DIR');
  const engine = await Engine.open({ dataDir, secrets: await createCliSecretStore() });
  const dispatch = createDispatcher(engine);
  process.parentPort.on('message', (e: { data: unknown; ports: unknown[] }) => {
    const port = e.ports[0] as PortLike | undefined;
    if (!port) return;
    const client = serveClient(dispatch, engine.events, (msg) => port.postMessage(msg));
    port.on('message', (m) => client.receive(m.data));
    port.on('close', () => client.close());
    port.start();
  });
  process.parentPort.postMessage({ type: 'ready' });
}

startEngineHost().catch((err: unknown) => {
  console.error('engine host failed to start:', err instanceof Error ? err.message : err);
  process.exit(1);
});
