import { EventEmitter } from 'node:events';
import { createPortClient } from '../../engine/transport/client-port.js';
import { apiEventNames, apiMethodNames } from '../../engine/api-names.js';
import type { RequestMessage, ServerMessage } from '../../engine/transport/protocol.js';
import { enginePortChannel } from '../ipc/channels.js';
import type { PrintRequest } from '../engine-host/pdf-bridge.js';
import type { PathAccess } from '../../engine/transport/path-grants.js';
import { pathGrantRequests } from './path-grant-requests.js';

const isPrintRequest = (msg: unknown): msg is PrintRequest =>
  typeof msg === 'object' && msg !== null && (msg as PrintRequest).type === 'print-pdf' && typeof (msg as PrintRequest).html === 'string';

/** The parts of Electron's MessagePortMain, UtilityProcess and WebContents this file uses. */
export interface PortLike {
  postMessage(message: unknown): void;
  on(event: 'message', listener: (e: { data: unknown }) => void): unknown;
  start(): void;
  close(): void;
}
export interface ChildLike {
  postMessage(message: unknown, transfer?: PortLike[]): void;
  on(event: 'exit', listener: (code: number) => void): unknown;
  on(event: 'message', listener: (message: unknown) => void): unknown;
  kill(): boolean;
}
export interface PageLike {
  postMessage(channel: string, message: unknown, transfer: PortLike[]): void;
}
export interface EngineDeps {
  fork(script: string, env: Record<string, string | undefined>): ChildLike;
  createChannel(): { port1: PortLike; port2: PortLike };
  now(): number;
}
export interface EngineHostOptions {
  script: string;
  dataDir: string;
  /** The engine crashed and was restarted: windows reload to get a port to the new one. */
  onRestart(): void;
  /** It crashed three times within a minute: main tells the user and gives up. */
  onCrashLoop(code: number): void;
  /** Prints a report's HTML to PDF for the engine (which has no Chromium of its own). */
  printPdf(html: string): Promise<Uint8Array>;
}

const CALL_TIMEOUT_MS = 15_000;
const CRASH_WINDOW_MS = 60_000;
const MAX_CRASHES = 3;

/**
 * The engine in its utilityProcess. Each page gets its own MessageChannel (one
 * end to the engine, one to the page), and main keeps one for itself (tray
 * actions, notifications). A crashed engine is restarted; windows then reload.
 */
export class EngineHost {
  readonly events = new EventEmitter();
  private child: ChildLike | null = null;
  private call_: ((method: string, args?: unknown) => Promise<unknown>) | null = null;
  private stopping = false;
  private readonly crashes: number[] = [];
  private readonly grants = pathGrantRequests();

  constructor(
    private readonly deps: EngineDeps,
    private readonly opts: EngineHostOptions,
  ) {}

  start(): void {
    const child = this.deps.fork(this.opts.script, { QUARRY_DATA_DIR: this.opts.dataDir });
    this.child = child;
    child.on('exit', (code) => this.onExit(child, code));
    child.on('message', (msg) => {
      if (this.grants.receive(msg) || !isPrintRequest(msg)) return;
      this.opts.printPdf(msg.html).then(
        (data) => child.postMessage({ type: 'pdf', id: msg.id, data }),
        (err: unknown) => child.postMessage({ type: 'pdf', id: msg.id, error: err instanceof Error ? err.message : String(err) }),
      );
    });
    const { port1, port2 } = this.deps.createChannel();
    child.postMessage({ type: 'connect' }, [port1]);
    const client = createPortClient((msg: RequestMessage) => port2.postMessage(msg));
    port2.on('message', (e) => client.receive(e.data as ServerMessage));
    port2.start();
    const on = client.api.on as (event: string, l: (p: unknown) => void) => () => void;
    for (const event of apiEventNames) on(event, (payload) => this.events.emit(event, payload));
    this.call_ = (method, args) => {
      const [ns, verb] = method.split('.') as [string, string];
      const fn = (client.api[ns] as Record<string, (a?: unknown) => Promise<unknown>>)[verb]!;
      return fn(args);
    };
  }

  /** Hands a freshly loaded page its own port to the engine. */
  connectPage(page: PageLike): void {
    if (!this.child) throw new Error('the engine is not running');
    const { port1, port2 } = this.deps.createChannel();
    this.child.postMessage({ type: 'connect' }, [port1]);
    page.postMessage(enginePortChannel, null, [port2]);
  }

  /**
   * Lets windows name a file the user just picked in a dialog (the engine refuses any other path from a window).
   * Resolves once the engine has the grant: only then may the page learn the path.
   */
  grantPath(path: string, access: PathAccess): Promise<void> {
    const child = this.child;
    if (!child) return Promise.reject(new Error('the engine is not running'));
    return this.grants.grant((msg) => child.postMessage(msg), path, access);
  }

  /** Whether this build's engine has an API method, for features that land in other issues (schedules, findings). */
  has(method: string): boolean {
    return (apiMethodNames as readonly string[]).includes(method);
  }

  /** Main's own calls (tray, notifications); they fail rather than hang if the engine is gone. */
  call(method: string, args?: unknown): Promise<unknown> {
    if (!this.has(method)) return Promise.reject(new Error(`this engine has no ${method}`));
    if (!this.call_) return Promise.reject(new Error('the engine is not running'));
    let timer: ReturnType<typeof setTimeout> | undefined;
    const timeout = new Promise((_, reject) => (timer = setTimeout(() => reject(new Error(`${method} timed out`)), CALL_TIMEOUT_MS)));
    return Promise.race([this.call_(method, args), timeout]).finally(() => clearTimeout(timer));
  }

  /** Asks the engine to close its store, and kills it if it has not exited in time. */
  async stop(timeoutMs = 3000): Promise<void> {
    this.stopping = true;
    const child = this.child;
    if (!child) return;
    await new Promise<void>((resolve) => {
      const timer = setTimeout(() => {
        child.kill();
        resolve();
      }, timeoutMs);
      child.on('exit', () => {
        clearTimeout(timer);
        resolve();
      });
      child.postMessage({ type: 'shutdown' });
    });
  }

  private onExit(child: ChildLike, code: number): void {
    if (child !== this.child) return;
    this.child = null;
    this.call_ = null;
    if (this.stopping) return;
    const now = this.deps.now();
    this.crashes.push(now);
    while (this.crashes.length && now - this.crashes[0]! > CRASH_WINDOW_MS) this.crashes.shift();
    if (this.crashes.length >= MAX_CRASHES) {
      this.opts.onCrashLoop(code);
      return;
    }
    this.start();
    this.opts.onRestart();
  }
}
