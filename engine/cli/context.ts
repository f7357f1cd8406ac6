import { Engine } from '../engine.js';
import { resolveDataDir } from '../paths.js';
import { createClient, type QuarryClient } from '../client.js';
import { createDispatcher } from '../dispatch.js';
import type { CliIo } from './output.js';
import { createCliSecretStore } from './secrets.js';

export interface GlobalOptions {
  dataDir?: string;
}

export interface CliContext {
  engine: Engine;
  /** The engine API, in-process: the CLI goes through the same dispatcher as the app. */
  api: QuarryClient;
  io: CliIo;
}

/** Opens the engine for one command and closes it afterwards, whatever happens. */
export async function withEngine<T>(global: GlobalOptions, io: CliIo, fn: (ctx: CliContext) => Promise<T>): Promise<T> {
  const engine = await Engine.open({
    dataDir: resolveDataDir(global.dataDir),
    // The OS keychain, loaded only when a command first needs a secret.
    secrets: await createCliSecretStore(),
    // Device-code sign-in instructions, on stderr so that --json output stays clean.
    onSignIn: (e) => void (e.state === 'waiting' && io.stderr.write(`${e.message}\n`)),
  });
  const dispatch = createDispatcher(engine);
  const api = createClient(
    (method, args) => dispatch(method, args),
    (event, listener) => {
      engine.events.on(event, listener);
      return () => engine.events.off(event, listener);
    },
  );
  try {
    return await fn({ engine, api, io });
  } finally {
    engine.close();
  }
}
