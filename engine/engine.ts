import { stopWriterThread } from './runs/writer-thread.js';
import { EventEmitter } from 'node:events';
import Database from 'better-sqlite3';
import path from 'node:path';
import { openStore, type Db } from './store/db.js';
import { systemClock, type Clock } from './clock.js';
import { HuntLibrary } from './hunts/library.js';
import { Runner } from './runs/runner.js';
import { markInterruptedRuns } from './runs/run-repo.js';
import { MemorySecretStore, type SecretStore } from './secrets/secret-store.js';
import { DEFAULT_LOCAL_CONNECTION, ensureLocalConnection, getConnection } from './local-connections.js';
import type { Connection, ConnectionKind } from './types.js';
import type { SignInEvent, Source, SourceFactory } from '../connectors/sources/types.js';
import { ConnectionRegistry } from './connections/registry.js';
import { defaultConnectionKinds, type ConnectionKinds } from './connections/kinds.js';
import { localDbPath, openLocalDb } from '../connectors/sources/local/local-db.js';
import { importLogFile, type LogImportOptions, type LogImportResult } from '../connectors/sources/local/import/log-importer.js';
import { seedFirstStart } from './first-start.js';
import { attachFindings } from './findings/service.js';
import type { Scheduler } from './scheduler/scheduler.js';

export interface EngineOptions {
  dataDir: string;
  clock?: Clock;
  /** The OS keychain in the app and CLI (KeytarSecretStore); in memory when left out (tests). */
  secrets?: SecretStore;
  /** Generate the sample dataset and hunts on first start (default true). */
  sampleData?: boolean;
  /** The kinds of connection this engine supports (default: local, log-analytics, sql-server). */
  kinds?: ConnectionKinds;
  /** Replaces the source factory of a kind (tests: a fake's CA, a gated source). */
  sources?: Partial<Record<ConnectionKind, SourceFactory>>;
  /**
   * Device-code sign-ins also go here (the CLI prints them on standard error);
   * every client gets them as the `connection.signIn` event either way.
   */
  onSignIn?: (event: SignInEvent) => void;
  /** Whether interactive browser sign-in may launch a browser (default true; the desktop app's engine host sets false: README, Connections). */
  browserSignIn?: boolean;
}

/** The kinds with any test-supplied factories swapped in. */
function withSources(kinds: ConnectionKinds, sources: Partial<Record<ConnectionKind, SourceFactory>>): ConnectionKinds {
  const merged: ConnectionKinds = { ...kinds };
  for (const [kind, factory] of Object.entries(sources) as Array<[ConnectionKind, SourceFactory | undefined]>) {
    const spec = merged[kind];
    if (!factory) continue;
    if (!spec) throw new Error(`EngineOptions.sources: no connection kind "${kind}" to give a factory to`);
    merged[kind] = { ...spec, factory };
  }
  return merged;
}

/**
 * The workbench core in one object: the store, the hunt library, the runner
 * and the sources. The app hosts it in a utilityProcess; the CLI and tests
 * open it in-process. All of its state lives in the data directory.
 */
export class Engine {
  readonly events = new EventEmitter();
  readonly hunts: HuntLibrary;
  readonly runner: Runner;
  /** Connections: settings in the store, secrets in `secrets` (the keychain); also opens their sources for runs. */
  readonly connections: ConnectionRegistry;
  /** Set while this process runs the scheduler (the app's engine process, `quarry daemon`): Scheduler.start(engine, …). */
  scheduler: Scheduler | null = null;
  private constructor(
    readonly dataDir: string,
    readonly db: Db,
    readonly clock: Clock,
    readonly secrets: SecretStore,
    kinds: ConnectionKinds,
    signIn: Pick<EngineOptions, 'onSignIn' | 'browserSignIn'>,
  ) {
    this.events.setMaxListeners(0);
    const onSignIn = (event: SignInEvent): void => {
      this.events.emit('connection.signIn', event);
      signIn.onSignIn?.(event);
    };
    this.connections = new ConnectionRegistry({ db, secrets, dataDir, clock, kinds, onSignIn, browserSignIn: signIn.browserSignIn });
    this.hunts = new HuntLibrary(db, clock);
    this.runner = new Runner({ db, hunts: this.hunts, clock, events: this.events, openSource: (name) => this.openSource(name) });
  }

  static async open(opts: EngineOptions): Promise<Engine> {
    const dataDir = path.resolve(opts.dataDir);
    const db = openStore(dataDir);
    const clock = opts.clock ?? systemClock;
    const kinds = withSources(opts.kinds ?? defaultConnectionKinds, opts.sources ?? {});
    const engine = new Engine(dataDir, db, clock, opts.secrets ?? new MemorySecretStore(), kinds, opts);
    markInterruptedRuns(db, clock.now());
    attachFindings(engine); // findings are evaluated when a run finishes
    const { connection, created } = ensureLocalConnection(db, DEFAULT_LOCAL_CONNECTION, clock.now());
    openLocalDb(localDbPath(connection, dataDir)).close(); // so hunts on a fresh install fail on their SQL, not on a missing file
    if (created && opts.sampleData !== false) await seedFirstStart(engine);
    return engine;
  }

  /**
   * A separate read-only connection to the store for one long streaming read
   * (an export): WAL lets it read while the engine writes. The caller closes it.
   */
  openReader(): Db {
    return new Database(path.join(this.dataDir, 'quarry.db'), { readonly: true });
  }

  connection(nameOrId: string): Connection {
    return getConnection(this.db, nameOrId);
  }

  /** A source for a run; it reads the connection's secrets from the keychain only when it connects. */
  openSource(nameOrId: string): { connection: Connection; source: Source } {
    return this.connections.openSource(nameOrId);
  }

  /** Imports a log file into a local connection, creating that connection if it does not exist yet. */
  async importLogs(opts: LogImportOptions & { connection?: string }): Promise<LogImportResult & { connection: string }> {
    const { connection } = ensureLocalConnection(this.db, opts.connection ?? DEFAULT_LOCAL_CONNECTION, this.clock.now());
    const local = openLocalDb(localDbPath(connection, this.dataDir));
    try {
      const result = await importLogFile(local, { ...opts, now: () => this.clock.now() });
      return { ...result, connection: connection.name };
    } finally {
      local.close();
    }
  }

  close(): void {
    this.scheduler?.stopNow();
    stopWriterThread(this.db);
    this.db.close();
  }
}
