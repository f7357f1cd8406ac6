import { Duplex } from 'node:stream';
import type net from 'node:net';
import tls from 'node:tls';

/**
 * Server-side TLS the TDS way (MS-TDS 3.3.5.2 / 2.2.6.5): the handshake
 * records travel inside PRELOGIN packets, one server reply message per client
 * message; after it, TLS records go straight over TCP (`stream`). With
 * login-only encryption the server drops TLS again right after LOGIN7, without
 * a close_notify, as the client does.
 *
 * The TLS engine runs over a private Duplex: what the engine writes is either
 * collected (handshake), forwarded to the socket (stream) or dropped (detached).
 */
export class ServerTls {
  readonly cleartext: tls.TLSSocket;
  private readonly transport: Duplex;
  private mode: 'handshake' | 'stream' | 'detached' = 'handshake';
  private collected: Buffer[] = [];
  private onOutput: (() => void) | null = null;
  private secure = false;
  private failure: Error | null = null;

  constructor(
    context: tls.SecureContext,
    private readonly raw: net.Socket,
  ) {
    this.transport = new Duplex({
      read() {},
      write: (chunk: Buffer, _encoding, callback) => {
        if (this.mode === 'handshake') {
          this.collected.push(chunk);
          this.onOutput?.();
          callback();
        } else if (this.mode === 'stream' && !this.raw.destroyed) {
          // Waiting for the socket to drain passes TCP backpressure on to the cleartext side.
          if (this.raw.write(chunk)) callback();
          else this.raw.once('drain', () => callback());
        } else callback();
      },
    });
    this.cleartext = new tls.TLSSocket(this.transport as unknown as net.Socket, { isServer: true, secureContext: context });
    this.cleartext.once('secure', () => {
      this.secure = true;
      this.onOutput?.();
    });
    this.cleartext.on('error', (err) => {
      this.failure = err;
      this.onOutput?.();
    });
  }

  /**
   * Feeds one PRELOGIN message worth of client handshake bytes and resolves
   * with the server's reply flight, once the TLS engine has gone quiet.
   */
  async handshake(clientBytes: Buffer): Promise<{ reply: Buffer; done: boolean }> {
    this.transport.push(clientBytes);
    await new Promise<void>((resolve, reject) => {
      let quietTimer: NodeJS.Immediate | null = null;
      const settle = (): void => {
        if (this.failure) return reject(this.failure);
        if (quietTimer) clearImmediate(quietTimer);
        // A flight can be written in several pieces; one idle turn of the event loop means it is complete.
        quietTimer = setImmediate(() => {
          if (this.collected.length === 0 && !this.secure) return;
          this.onOutput = null;
          resolve();
        });
      };
      this.onOutput = settle;
      if (this.collected.length) settle();
    });
    const reply = Buffer.concat(this.collected);
    this.collected = [];
    return { reply, done: this.secure };
  }

  /** After the handshake: TLS records from the socket go to the engine, the engine's records to the socket. */
  startStreaming(): void {
    this.mode = 'stream';
    for (const pending of this.collected) this.raw.write(pending);
    this.collected = [];
  }

  receive(records: Buffer): void {
    this.transport.push(records);
  }

  /** Login-only encryption is over: forget TLS silently (no alert goes out, like the client). */
  detach(): void {
    this.mode = 'detached';
    this.cleartext.removeAllListeners('data');
    this.cleartext.on('error', () => undefined);
    this.cleartext.destroy();
  }
}
