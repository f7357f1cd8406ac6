import type { BoundParameter } from '../../engine/runs/parameters.js';
import type { PackedRows } from '../../engine/runs/packed-rows.js';
import type { Connection, QueryLanguage, ResultColumn, StoredValue } from '../../engine/types.js';

export interface SourceQuery {
  language: QueryLanguage;
  query: string;
  parameters: BoundParameter[];
  /** The time range a scheduled run covers, ISO 8601 UTC; also bound as @start/@end where the query uses them. */
  window?: { start: string; end: string };
  signal: AbortSignal;
  timeoutMs?: number;
}

/** Where a source puts its result. The write calls resolve when the sink can take more: that is the backpressure. */
export interface ResultSink {
  setColumns(columns: ResultColumn[]): void;
  writeRows(rows: StoredValue[][]): Promise<void>;
  /** Rows packed as they were read (engine/runs/packed-rows.ts), for sources that read many: the store takes the buffer as is. */
  writePacked(batch: PackedRows): Promise<void>;
  warn(message: string): void;
}

/** The part of a sink a reader that packs its rows needs. */
export type PackedRowSink = Pick<ResultSink, 'setColumns' | 'writePacked' | 'warn'>;

export interface Source {
  run(q: SourceQuery, sink: ResultSink): Promise<void>;
  /** Checks the connection works; resolves to a short description of what was reached. */
  test(signal?: AbortSignal): Promise<string>;
  close(): Promise<void>;
}

export interface SourceContext {
  dataDir: string;
  /** Reads one of this connection's secrets from the keychain (e.g. "password", "clientSecret"). */
  secret(field: string): Promise<string | null>;
}

export type SourceFactory = (connection: Connection, ctx: SourceContext) => Source;

/**
 * A source asking the hunter to sign in (device code: open `verificationUri`,
 * enter `userCode`), then how it ended. The engine sends both to every client
 * as the `connection.signIn` event; the CLI prints the waiting message.
 */
export type SignInEvent =
  | { state: 'waiting'; connection: string; message: string; verificationUri: string; userCode: string }
  | { state: 'finished'; connection: string; signedIn: boolean };

/** The query language each kind of connection speaks. */
export const languageOfKind: Record<Connection['kind'], QueryLanguage> = {
  local: 'sql',
  'log-analytics': 'kql',
  'sql-server': 'tsql',
};
