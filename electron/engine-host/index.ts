/**
 * Runs inside Electron's utilityProcess: the engine, with the OS keychain,
 * serving each window over the MessagePort main hands it, and running the
 * scheduler and the outbox in the background. No Electron UI code here, and a
 * slow query never blocks a window.
 */
import { Engine } from '../../engine/engine.js';
import { createDispatcher, type Dispatch } from '../../engine/dispatch.js';
import { serveClient } from '../../engine/transport/serve.js';
import { PathGrants, receivePathGrant } from '../../engine/transport/path-grants.js';
import { guardPaths } from '../../engine/transport/path-guard.js';
import { createCliSecretStore } from '../../engine/cli/secrets.js';
import { setPdfPrinter } from '../../engine/reports/pdf.js';
import { startBackground } from './background.js';
import { pdfRequests } from './pdf-bridge.js';

interface PortLike {
  on(event: 'message', listener: (e: { data: unknown }) => void): void;
  on(event: 'close', listener: () => void): void;
  postMessage(msg: unknown): void;
  start(): void;
}

const log = (line: string): void => console.error(`quarry engine: ${line}`);
// PDF reports are printed by main (webContents.printToPDF); this end asks and waits.
const pdf = pdfRequests((msg) => process.parentPort.postMessage(msg));
// Files the user picked in main's dialogs: the only paths a window's calls may name.
const grants = new PathGrants();

async function openEngine(): Promise<{ engine: Engine; dispatch: Dispatch; background: { stop(): Promise<void> } }> {
  const dataDir = process.env.QUARRY_DATA_DIR;
  if (!dataDir) throw new Error('the engine host needs QUARRY_DATA_DIR');
  // Device-code sign-ins reach the windows as the connection.signIn event. Interactive browser sign-in stays
  // CLI-only: @azure/identity would launch the browser itself, past main's guarded openExternal.
  const engine = await Engine.open({ dataDir, secrets: await createCliSecretStore(), browserSignIn: false });
  setPdfPrinter(engine, pdf.print);
  return { engine, dispatch: createDispatcher(engine), background: startBackground(engine, log) };
}

const ready = openEngine();
ready.catch((err: unknown) => {
  log(`failed to start: ${err instanceof Error ? err.message : String(err)}`);
  process.exit(1);
});

// Listening before the engine is open, so a port main sends early is served once it is.
process.parentPort.on('message', (e: { data: unknown; ports: unknown[] }) => {
  if (pdf.receive(e.data)) return;
  // Granted and acknowledged at once, engine open or not: main hands the page the path only after this answer.
  const granted = receivePathGrant(grants, e.data);
  if (granted) {
    process.parentPort.postMessage(granted);
    return;
  }
  void ready.then(async ({ engine, dispatch, background }) => {
    // Main asks for a clean shutdown on quit: runs in flight are marked interrupted (and run again next start), the store is closed.
    if ((e.data as { type?: string } | null)?.type === 'shutdown') {
      await background.stop().catch((err: unknown) => log(`stopping: ${String(err)}`));
      engine.close();
      process.exit(0);
    }
    const port = e.ports[0] as PortLike | undefined;
    if (!port) return;
    // Every port main connects (each window's, and main's own for the tray) gets the path check.
    const client = serveClient(guardPaths(dispatch, grants), engine.events, (msg) => port.postMessage(msg));
    port.on('message', (m) => client.receive(m.data));
    port.on('close', () => client.close());
    port.start();
  });
});
