import { afterEach, describe, expect, it } from 'vitest';
import type { Engine } from '../../../engine/engine.js';
import { createDispatcher } from '../../../engine/dispatch.js';
import { serveClient } from '../../../engine/transport/serve.js';
import { createPortClient, ApiCallError } from '../../../engine/transport/client-port.js';
import type { ServerMessage } from '../../../engine/transport/protocol.js';
import { apiMethodNames } from '../../../engine/api-names.js';
import { apiSchemas } from '../../../engine/api.js';
import { openTestEngine } from '../../helpers/engine.js';
import { schemaVersion } from '../../../engine/store/migrations.js';

let engine: Engine;
afterEach(() => engine?.close());

describe('engine API', () => {
  it('lists exactly the methods that have schemas', () => {
    expect([...apiMethodNames].sort()).toEqual(Object.keys(apiSchemas).sort());
  });

  it('rejects unknown methods and invalid arguments before any handler runs', async () => {
    engine = await openTestEngine();
    const dispatch = createDispatcher(engine);
    await expect(dispatch('hunts.nuke', {})).rejects.toThrowError('unknown API method: hunts.nuke');
    await expect(dispatch('constructor', {})).rejects.toThrowError(/unknown API method/);
    await expect(dispatch('runs.get', { runId: 'one' })).rejects.toThrowError(/runs.get: runId: Expected number/);
    await expect(dispatch('hunts.save', { name: 'x', language: 'cobol', query: 'q' })).rejects.toThrowError(/language/);
  });

  it('serves named methods and events over a message transport, the way the preload and bridge do', async () => {
    engine = await openTestEngine();
    const dispatch = createDispatcher(engine);
    const engineListeners = engine.events.listenerCount('run.finished'); // the findings service listens too
    // Two ends joined by queues stand in for a MessagePort pair.
    let toClient: (m: ServerMessage) => void = () => undefined;
    const server = serveClient(dispatch, engine.events, (m) => queueMicrotask(() => toClient(JSON.parse(JSON.stringify(m)))));
    const client = createPortClient((m) => queueMicrotask(() => server.receive(JSON.parse(JSON.stringify(m)))));
    toClient = client.receive;
    const api = client.api as {
      app: { info(): Promise<{ schemaVersion: number; dataDir: string }> };
      hunts: { save(a: unknown): Promise<{ id: string }>; get(a: unknown): Promise<unknown> };
      runs: { start(a: unknown): Promise<{ runId: number }> };
      on(e: string, l: (p: unknown) => void): () => void;
    };

    expect(await api.app.info()).toMatchObject({ schemaVersion: schemaVersion(engine.db), dataDir: engine.dataDir });
    const hunt = await api.hunts.save({ name: 'one', language: 'sql', connection: 'local', query: 'SELECT 42 AS answer' });
    const finished = new Promise((resolve) => api.on('run.finished', resolve));
    const { runId } = await api.runs.start({ hunt: hunt.id });
    expect(await finished).toMatchObject({ id: runId, status: 'succeeded', rowCount: 1 });

    const err = await api.hunts.get({ hunt: 'missing' }).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(ApiCallError);
    expect(err).toMatchObject({ code: 'not_found', message: 'hunt not found: missing' });
    server.close();
    expect(engine.events.listenerCount('run.finished')).toBe(engineListeners);
  });

  it('opens the store in WAL mode at the latest migration', async () => {
    engine = await openTestEngine();
    expect(engine.db.pragma('journal_mode', { simple: true })).toBe('wal');
    expect(schemaVersion(engine.db)).toBeGreaterThanOrEqual(1);
  });
});
