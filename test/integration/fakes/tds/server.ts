import fs from 'node:fs';
import net from 'node:net';
import path from 'node:path';
import tls from 'node:tls';
import { fileURLToPath } from 'node:url';
import Database from 'better-sqlite3';
import { QueryExecutor, type ColumnTypeDeclarations, type RowHook } from './executor.js';
import type { ServerEncryption } from './prelogin.js';
import { TdsSession, type ServerStats, type SessionSettings } from './session.js';

const here = path.dirname(fileURLToPath(import.meta.url));

/** TEST-ONLY self-signed certificate for localhost / 127.0.0.1 (see README.md); clients must set trustServerCertificate. */
export const testCertificate = {
  cert: fs.readFileSync(path.join(here, 'test-cert.pem')),
  key: fs.readFileSync(path.join(here, 'test-key.pem')),
};

export interface TdsTestServerOptions {
  /** The data queries run against; the test seeds it. Defaults to an empty in-memory database. */
  db?: Database.Database;
  /** SQL Server types per table and column (e.g. `{ events: { ts: 'datetime2' } }`); other columns use the SQLite declared type, then the first row's values. */
  columnTypes?: ColumnTypeDeclarations;
  /** SQL logins: user name → password. */
  logins?: Record<string, string>;
  /** Databases a login may open; any name when left out. */
  databases?: string[];
  /** `off` by default: like a server with a certificate that does not force encryption. */
  encryption?: ServerEncryption;
  tls?: { cert: Buffer | string; key: Buffer | string };
  /** Forces the negotiated packet size (otherwise what the client asks for, 512..32767). */
  packetSize?: number;
  /** Pause `delayMs` after every `everyRows` rows: a slow server. */
  slow?: { everyRows: number; delayMs: number };
  /** Serve some queries from generated rows instead of SQLite (benches ask for N rows this way). */
  rowHook?: RowHook;
  /** Send rows holding NULLs as NBCROW (default true), as SQL Server does. */
  nbcRow?: boolean;
  serverName?: string;
}

export const DEFAULT_LOGIN = { user: 'quarry', password: 'Hunt3r!pass' } as const;

const VERSION = { major: 16, minor: 0, build: 1000 };
const VERSION_TEXT =
  'Microsoft SQL Server 2022 (RTM) - 16.0.1000.6 (X64) \n\tOct  8 2022 05:58:25 \n\tCopyright (C) 2022 Microsoft Corporation\n\tQuarry TDS test server (fake) on Linux\n';

/**
 * A TDS (SQL Server wire protocol) server on 127.0.0.1 that answers from
 * SQLite, for the real `mssql`/tedious driver to talk to over TCP.
 */
export class TdsTestServer {
  readonly stats: ServerStats = {
    connections: 0,
    logins: [],
    queries: [],
    attentions: 0,
    backpressureWaits: 0,
    rowsSent: 0,
    packets: 0,
    largestPacket: 0,
  };
  readonly db: Database.Database;
  private readonly sessions = new Set<TdsSession>();
  private readonly settings: SessionSettings;

  private constructor(
    private readonly server: net.Server,
    readonly options: TdsTestServerOptions,
  ) {
    this.db = options.db ?? new Database(':memory:');
    const material = options.tls ?? testCertificate;
    this.settings = {
      logins: options.logins ?? { [DEFAULT_LOGIN.user]: DEFAULT_LOGIN.password },
      databases: options.databases,
      packetSize: options.packetSize,
      serverName: options.serverName ?? 'QUARRY-FAKE',
      version: VERSION,
      versionText: VERSION_TEXT,
      encryption: options.encryption ?? 'off',
      secureContext: tls.createSecureContext({ cert: material.cert, key: material.key }),
      nbcRow: options.nbcRow ?? true,
      slow: options.slow,
    };
    const executor = new QueryExecutor(this.db, () => this.options.columnTypes ?? {}, () => this.options.rowHook);
    server.on('connection', (socket) => {
      this.stats.connections++;
      socket.setNoDelay(true);
      const session = new TdsSession(socket, () => this.liveSettings(), executor, this.stats, 50 + this.stats.connections);
      this.sessions.add(session);
      socket.on('close', () => this.sessions.delete(session));
    });
  }

  static async start(options: TdsTestServerOptions = {}): Promise<TdsTestServer> {
    const server = net.createServer();
    await new Promise<void>((resolve, reject) => {
      server.once('error', reject);
      server.listen(0, '127.0.0.1', () => resolve());
    });
    return new TdsTestServer(server, options);
  }

  get host(): string {
    return '127.0.0.1';
  }

  get port(): number {
    return (this.server.address() as net.AddressInfo).port;
  }

  /** Sessions read these on every request, so a test can make the server slow (or not) between queries. */
  setSlow(slow: TdsTestServerOptions['slow']): void {
    this.options.slow = slow;
  }

  private liveSettings(): SessionSettings {
    return { ...this.settings, slow: this.options.slow };
  }

  /** An ADO-style connection string for this server, as QUARRY_TEST_MSSQL takes. */
  connectionString(user: string = DEFAULT_LOGIN.user, password: string = DEFAULT_LOGIN.password, database = 'hunting'): string {
    return `Server=${this.host},${this.port};Database=${database};User Id=${user};Password=${password};Encrypt=false`;
  }

  /** Stops listening and drops every client connection. */
  async close(): Promise<void> {
    for (const s of this.sessions) s.close();
    await new Promise<void>((resolve) => this.server.close(() => resolve()));
    if (!this.options.db) this.db.close();
  }
}
