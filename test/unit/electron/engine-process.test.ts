import { EventEmitter } from 'node:events';
import { describe, expect, it, vi } from 'vitest';
import { EngineHost, type ChildLike, type PortLike } from '../../../electron/main/engine-process.js';
import { enginePortChannel } from '../../../electron/ipc/channels.js';

class FakePort extends EventEmitter implements PortLike {
  other: FakePort | null = null;
  sent: unknown[] = [];
  postMessage(message: unknown): void {
    this.sent.push(message);
    this.other?.emit('message', { data: message });
  }
  start(): void {}
  close(): void {}
}

class FakeChild extends EventEmitter implements ChildLike {
  messages: Array<{ message: unknown; transfer?: PortLike[] }> = [];
  postMessage(message: unknown, transfer?: PortLike[]): void {
    this.messages.push({ message, transfer });
    if ((message as { type?: string }).type === 'shutdown') queueMicrotask(() => this.emit('exit', 0));
  }
  kill = vi.fn(() => true);
}

function setup() {
  const children: FakeChild[] = [];
  let clock = 0;
  const opts = { script: '/app/engine-host.js', dataDir: '/data', onRestart: vi.fn(), onCrashLoop: vi.fn(), printPdf: vi.fn(async (html: string) => new TextEncoder().encode(`%PDF ${html}`)) };
  const host = new EngineHost(
    {
      fork: (script, env) => {
        expect(script).toBe('/app/engine-host.js');
        expect(env.QUARRY_DATA_DIR).toBe('/data');
        const c = new FakeChild();
        children.push(c);
        return c;
      },
      createChannel: () => {
        const port1 = new FakePort();
        const port2 = new FakePort();
        port1.other = port2;
        port2.other = port1;
        return { port1, port2 };
      },
      now: () => clock,
    },
    opts,
  );
  return { host, children, opts, tick: (ms: number) => (clock += ms) };
}

describe('the engine host', () => {
  it('gives each page its own port and connects the other end to the engine', () => {
    const { host, children } = setup();
    host.start();
    const page = { postMessage: vi.fn() };
    host.connectPage(page);
    host.connectPage(page);
    const [child] = children;
    expect(child!.messages.filter((m) => (m.message as { type: string }).type === 'connect')).toHaveLength(3); // main's own + two pages
    expect(page.postMessage).toHaveBeenCalledTimes(2);
    expect(page.postMessage.mock.calls[0]![0]).toBe(enginePortChannel);
    const pagePorts = page.postMessage.mock.calls.map((c) => (c[2] as PortLike[])[0]);
    expect(pagePorts[0]).not.toBe(pagePorts[1]);
  });

  it('answers main-side calls through its own port and refuses methods this engine lacks', async () => {
    const { host, children } = setup();
    host.start();
    // The engine's end of main's own channel: answer like engine/transport/serve.ts does.
    const engineEnd = children[0]!.messages[0]!.transfer![0] as FakePort;
    engineEnd.on('message', ({ data }: { data: { id: number; method: string } }) => engineEnd.postMessage({ id: data.id, ok: true, result: `did ${data.method}` }));
    await expect(host.call('runs.list', {})).resolves.toBe('did runs.list');
    const events: unknown[] = [];
    host.events.on('run.finished', (p) => events.push(p));
    engineEnd.postMessage({ event: 'run.finished', payload: { id: 3 } });
    expect(events).toEqual([{ id: 3 }]);
    await expect(host.call('schedules.doesNotExist')).rejects.toThrow(/no schedules.doesNotExist/);
    expect(host.has('runs.rows')).toBe(true);
  });

  it('restarts a crashed engine and reloads windows, but gives up after three crashes in a minute', () => {
    const { host, children, opts, tick } = setup();
    host.start();
    children[0]!.emit('exit', 1);
    expect(children).toHaveLength(2);
    expect(opts.onRestart).toHaveBeenCalledTimes(1);
    tick(61_000); // an old crash no longer counts
    children[1]!.emit('exit', 1);
    tick(1000);
    children[2]!.emit('exit', 1);
    expect(opts.onCrashLoop).not.toHaveBeenCalled();
    tick(1000);
    children[3]!.emit('exit', 134);
    expect(opts.onCrashLoop).toHaveBeenCalledWith(134);
    expect(children).toHaveLength(4);
  });

  it('prints PDFs for the engine and answers with the bytes or the error', async () => {
    const { host, children, opts } = setup();
    host.start();
    const child = children[0]!;
    child.emit('message', { type: 'print-pdf', id: 4, html: '<h1>Report</h1>' });
    await vi.waitFor(() => expect(child.messages.at(-1)?.message).toMatchObject({ type: 'pdf', id: 4 }));
    expect(new TextDecoder().decode((child.messages.at(-1)!.message as { data: Uint8Array }).data)).toBe('%PDF <h1>Report</h1>');
    opts.printPdf.mockRejectedValueOnce(new Error('no printer'));
    child.emit('message', { type: 'print-pdf', id: 5, html: 'x' });
    await vi.waitFor(() => expect(child.messages.at(-1)?.message).toEqual({ type: 'pdf', id: 5, error: 'no printer' }));
    child.emit('message', { type: 'something-else' });
    expect(opts.printPdf).toHaveBeenCalledTimes(2);
  });

  it('asks the engine to shut down on quit and does not restart it', async () => {
    const { host, children, opts } = setup();
    host.start();
    await host.stop();
    expect(children[0]!.messages.at(-1)!.message).toEqual({ type: 'shutdown' });
    expect(children[0]!.kill).not.toHaveBeenCalled();
    expect(opts.onRestart).not.toHaveBeenCalled();
    expect(children).toHaveLength(1);
  });

  it('kills an engine that does not exit in time', async () => {
    const { host, children } = setup();
    host.start();
    children[0]!.postMessage = vi.fn(); // never answers
    await host.stop(10);
    expect(children[0]!.kill).toHaveBeenCalled();
  });
});

describe('the engine side of PDF printing', () => {
  it('matches answers to requests and fails a request main never answers', async () => {
    const { pdfRequests } = await import('../../../electron/engine-host/pdf-bridge.js');
    const sent: Array<{ id: number; html: string }> = [];
    const bridge = pdfRequests((m) => sent.push(m), 50);
    const a = bridge.print('<p>a</p>');
    const b = bridge.print('<p>b</p>');
    expect(bridge.receive({ type: 'pdf', id: sent[1]!.id, data: new Uint8Array([37, 80]) })).toBe(true);
    expect(bridge.receive({ type: 'pdf', id: sent[0]!.id, error: 'printer broke' })).toBe(true);
    expect(bridge.receive({ type: 'connect' })).toBe(false);
    await expect(b).resolves.toEqual(Buffer.from('%P'));
    await expect(a).rejects.toThrow('printer broke');
    await expect(bridge.print('never answered')).rejects.toThrow(/too long/);
  });

  it('sends a path grant to the engine and resolves only when the engine acknowledges it', async () => {
    const { host, children } = setup();
    await expect(host.grantPath('/docs/r.html', 'write')).rejects.toThrow(/not running/);
    host.start();
    const child = children[0]!;
    let done = false;
    const granted = host.grantPath('/docs/r.html', 'write').then(() => (done = true));
    const sent = child.messages.at(-1)!.message as { type: string; id: number; path: string; access: string };
    expect(sent).toMatchObject({ type: 'grant-path', path: '/docs/r.html', access: 'write' });
    child.emit('message', { type: 'path-granted', id: sent.id + 1 }); // another grant's answer
    await Promise.resolve();
    expect(done).toBe(false);
    child.emit('message', { type: 'path-granted', id: sent.id });
    await granted;
    expect(done).toBe(true);
  });

  it('fails a grant the engine never acknowledges', async () => {
    const { pathGrantRequests } = await import('../../../electron/main/path-grant-requests.js');
    const grants = pathGrantRequests(20);
    const sent: unknown[] = [];
    await expect(grants.grant((m) => sent.push(m), '/x.csv', 'read')).rejects.toThrow(/did not take the chosen file/);
    expect(sent).toHaveLength(1);
    expect(grants.receive({ type: 'pdf', id: 1 })).toBe(false);
  });
});
