import type net from 'node:net';
import type tls from 'node:tls';
import { DEFAULT_PACKET_SIZE, MessageWriter, PacketReader, PacketType, sendMessage, type PacketSink, type TdsMessage } from './packets.js';
import { negotiateEncryption, parsePrelogin, preloginResponse, type ServerEncryption, type TlsMode } from './prelogin.js';
import { ServerTls } from './tls-transport.js';
import { parseLogin7 } from './login7.js';
import { writeLoginReply, type LoginPolicy } from './login-reply.js';
import { parseRpc, parseSqlBatch, type RpcParameter } from './requests.js';
import { respond, type RunControl, type RunnerDeps } from './query-runner.js';
import { CurCmd, Done, Token, writeDone } from './tokens.js';
import type { QueryExecutor } from './executor.js';

export interface LoginRecord {
  user: string;
  database: string;
  appName: string;
  tls: TlsMode;
  packetSize: number;
  ok: boolean;
}

export interface QueryRecord {
  kind: 'batch' | 'rpc';
  sql: string;
  /** The values after sp_executesql's @statement and @params, with the types the client declared. */
  parameters: RpcParameter[];
}

/** What the server saw, for tests to assert on. */
export interface ServerStats {
  connections: number;
  logins: LoginRecord[];
  queries: QueryRecord[];
  attentions: number;
  /** Times a response stopped because the client was not reading (socket write returned false). */
  backpressureWaits: number;
  rowsSent: number;
  packets: number;
  largestPacket: number;
}

/** The server's settings as a session reads them (live: a test may change them between queries). */
export interface SessionSettings extends LoginPolicy {
  encryption: ServerEncryption;
  secureContext: tls.SecureContext;
  nbcRow: boolean;
  slow?: { everyRows: number; delayMs: number };
  versionText: string;
}

type State = 'prelogin' | 'tls-handshake' | 'login' | 'logged-in' | 'closed';

/** One client connection: PRELOGIN, optional TLS, LOGIN7, then requests one at a time, with ATTENTION at any time. */
export class TdsSession {
  private state: State = 'prelogin';
  private tlsMode: TlsMode = 'none';
  private tls: ServerTls | null = null;
  private readonly reader = new PacketReader((m) => this.onMessage(m));
  private packetSize = DEFAULT_PACKET_SIZE;
  private readonly queue: TdsMessage[] = [];
  private busy = false;
  private running: { cancelled: boolean; wake: () => void } | null = null;
  private writeTarget: net.Socket | tls.TLSSocket;

  constructor(
    private readonly socket: net.Socket,
    private readonly settings: () => SessionSettings,
    private readonly executor: QueryExecutor,
    private readonly stats: ServerStats,
    private readonly spid: number,
  ) {
    this.writeTarget = socket;
    socket.on('data', (chunk: Buffer) => this.fromSocket(chunk));
    socket.on('close', () => this.close());
    socket.on('error', () => this.close());
  }

  private get sink(): PacketSink {
    return { write: (bytes) => (this.writeTarget.destroyed ? true : this.writeTarget.write(bytes)) };
  }

  private fromSocket(chunk: Buffer): void {
    try {
      // After the handshake, full and login-only TLS both read TLS records straight off TCP.
      if (this.tls && this.state !== 'tls-handshake') this.tls.receive(chunk);
      else this.reader.push(chunk);
    } catch {
      this.socket.destroy();
    }
  }

  close(): void {
    if (this.state === 'closed') return;
    this.state = 'closed';
    this.running?.wake();
    this.socket.destroy();
  }

  private onMessage(m: TdsMessage): void {
    if (this.state === 'closed') return;
    if (m.type === PacketType.ATTENTION) return this.onAttention();
    switch (this.state) {
      case 'prelogin':
        return m.type === PacketType.PRELOGIN ? this.onPrelogin(m.payload) : this.close();
      case 'tls-handshake':
        return m.type === PacketType.PRELOGIN ? void this.onHandshake(m.payload) : this.close();
      case 'login':
        return m.type === PacketType.LOGIN7 ? this.onLogin(m.payload) : this.close();
      case 'logged-in':
        if (m.type !== PacketType.SQL_BATCH && m.type !== PacketType.RPC) return this.close();
        this.queue.push(m);
        return void this.pump();
    }
  }

  private onPrelogin(payload: Buffer): void {
    const s = this.settings();
    const client = parsePrelogin(payload);
    const { answer, mode } = negotiateEncryption(client.encryption, s.encryption);
    this.tlsMode = mode;
    const v = s.version;
    sendMessage(this.sink, PacketType.TABULAR_RESULT, preloginResponse([v.major, v.minor, v.build, 0], answer, true), this.packetSize, this.stats, this.spid);
    if (mode === 'full' || mode === 'login-only') {
      this.tls = new ServerTls(s.secureContext, this.socket);
      this.state = 'tls-handshake';
    } else {
      this.state = 'login';
    }
  }

  private async onHandshake(payload: Buffer): Promise<void> {
    const tls = this.tls!;
    let step;
    try {
      step = await tls.handshake(payload);
    } catch {
      return this.close(); // the client gave up on TLS (an untrusted certificate, say)
    }
    // Handshake replies are PRELOGIN packets carrying raw TLS records.
    sendMessage(this.sink, PacketType.PRELOGIN, step.reply, this.packetSize, this.stats, this.spid);
    if (!step.done) return;
    tls.startStreaming();
    this.state = 'login';
    if (this.tlsMode === 'full') {
      this.writeTarget = tls.cleartext;
      tls.cleartext.on('data', (chunk: Buffer) => this.reader.push(chunk));
    } else {
      // Login-only: LOGIN7 is the one message that arrives encrypted; read it through TLS, then drop TLS.
      const loginReader = new PacketReader((m) => {
        tls.detach();
        this.tls = null;
        this.onMessage(m);
      });
      tls.cleartext.on('data', (chunk: Buffer) => loginReader.push(chunk));
    }
  }

  private onLogin(payload: Buffer): void {
    if (this.tlsMode === 'refused') return this.close();
    const s = this.settings();
    const login = parseLogin7(payload);
    const w = new MessageWriter(this.sink, this.packetSize, this.stats, this.spid);
    const outcome = writeLoginReply(w.body, login, s);
    w.flush(true);
    this.stats.logins.push({
      user: login.userName,
      database: login.database,
      appName: login.appName,
      tls: this.tlsMode,
      packetSize: outcome.ok ? outcome.packetSize : this.packetSize,
      ok: outcome.ok,
    });
    if (!outcome.ok) {
      // SQL Server hangs up after a failed login (through TLS first when the session is encrypted).
      if (this.writeTarget === this.socket) this.socket.end();
      else this.writeTarget.end(() => this.socket.end());
      this.state = 'closed';
      return;
    }
    this.packetSize = outcome.packetSize;
    this.state = 'logged-in';
  }

  private onAttention(): void {
    this.stats.attentions++;
    if (this.running) {
      this.running.cancelled = true;
      this.running.wake();
    } else if (this.state === 'logged-in') {
      this.sendAttentionAck(); // nothing running (it finished first): acknowledge all the same
    }
  }

  private sendAttentionAck(): void {
    const w = new MessageWriter(this.sink, this.packetSize, this.stats, this.spid);
    writeDone(w.body, Token.DONE, Done.ATTN, CurCmd.NONE);
    w.flush(true);
  }

  private async pump(): Promise<void> {
    if (this.busy) return;
    this.busy = true;
    try {
      for (let m = this.queue.shift(); m && this.state === 'logged-in'; m = this.queue.shift()) await this.execute(m);
    } finally {
      this.busy = false;
    }
  }

  private async execute(m: TdsMessage): Promise<void> {
    const w = new MessageWriter(this.sink, this.packetSize, this.stats, this.spid);
    if (m.ignored) {
      // The client abandoned the request mid-send: a lone DONE, no attention acknowledgement (MS-TDS 2.2.1.7).
      writeDone(w.body, Token.DONE, Done.FINAL, CurCmd.NONE);
      w.flush(true);
      return;
    }
    const running = { cancelled: false, wake: () => undefined as void };
    this.running = running;
    const control = this.controlFor(running);
    const s = this.settings();
    const deps: RunnerDeps = {
      executor: this.executor,
      context: { version: s.versionText, serverName: s.serverName, spid: this.spid },
      serverName: s.serverName,
      nbcRow: s.nbcRow,
      slow: s.slow,
      stats: this.stats,
    };
    try {
      let result;
      if (m.type === PacketType.SQL_BATCH) {
        const sql = parseSqlBatch(m.payload);
        this.stats.queries.push({ kind: 'batch', sql, parameters: [] });
        result = await respond(w, { kind: 'batch', sql }, control, deps);
      } else {
        const rpc = parseRpc(m.payload);
        this.stats.queries.push({ kind: 'rpc', sql: String(rpc.parameters[0]?.value ?? ''), parameters: rpc.parameters.slice(2) });
        result = await respond(w, { kind: 'rpc', rpc }, control, deps);
      }
      // A cut-short response still ends with a DONE so the token stream stays whole.
      if (result === 'cancelled') writeDone(w.body, m.type === PacketType.RPC ? Token.DONEPROC : Token.DONE, Done.FINAL, CurCmd.NONE);
      if (this.state === 'closed') return;
      // The response to the request ends here; an attention gets its own message right after.
      w.flush(true);
      if (running.cancelled) this.sendAttentionAck();
    } catch {
      this.close(); // a request the fake cannot parse: hang up rather than answer nonsense
    } finally {
      this.running = null;
    }
  }

  private controlFor(running: { cancelled: boolean; wake: () => void }): RunControl {
    const wait = (arm: (done: () => void) => () => void): Promise<void> =>
      new Promise((resolve) => {
        if (running.cancelled || this.state === 'closed') return resolve();
        let disarm: () => void = () => undefined;
        const done = (): void => {
          disarm();
          running.wake = () => undefined;
          resolve();
        };
        running.wake = done;
        disarm = arm(done);
      });
    return {
      get cancelled() {
        return running.cancelled;
      },
      sleep: (ms) =>
        wait((done) => {
          const timer = setTimeout(done, ms);
          return () => clearTimeout(timer);
        }),
      waitForDrain: () =>
        wait((done) => {
          const target = this.writeTarget;
          target.once('drain', done);
          return () => target.removeListener('drain', done);
        }),
    };
  }
}
