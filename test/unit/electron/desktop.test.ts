import { EventEmitter } from 'node:events';
import path from 'node:path';
import { describe, expect, it, vi } from 'vitest';
import type { BrowserWindowConstructorOptions, MenuItemConstructorOptions } from 'electron';
import { startDesktop, type DesktopDeps } from '../../../electron/main/desktop.js';
import { tempDir } from '../../helpers/temp-dir.js';

class FakeWebContents extends EventEmitter {
  static next = 1;
  id = FakeWebContents.next++;
  posted: unknown[][] = [];
  reload = vi.fn();
  setWindowOpenHandler = vi.fn();
  postMessage(...args: unknown[]): void {
    this.posted.push(args);
  }
}

class FakeWindow extends EventEmitter {
  static created: FakeWindow[] = [];
  webContents = new FakeWebContents();
  destroyed = false;
  loaded: string[] = [];
  show = vi.fn();
  focus = vi.fn();
  restore = vi.fn();
  maximize = vi.fn();
  constructor(readonly options: BrowserWindowConstructorOptions) {
    super();
    FakeWindow.created.push(this);
  }
  isMinimized = () => false;
  isDestroyed = () => this.destroyed;
  isMaximized = () => false;
  getNormalBounds = () => ({ x: 0, y: 0, width: 1400, height: 900 });
  loadURL(url: string): Promise<void> {
    this.loaded.push(url);
    return Promise.resolve();
  }
}

function fakeDeps(opts: { gotLock?: boolean; trayFails?: boolean } = {}) {
  FakeWindow.created = [];
  const app = Object.assign(new EventEmitter(), {
    requestSingleInstanceLock: () => opts.gotLock ?? true,
    quit: vi.fn(),
    whenReady: () => Promise.resolve(),
    getPath: (name: string) => (name === 'userData' ? dataDir : '/docs'),
    setPath: vi.fn(),
    isPackaged: true,
  });
  const dataDir = tempDir();
  const child = Object.assign(new EventEmitter(), { postMessage: vi.fn(), kill: vi.fn(() => true) });
  const port = () => Object.assign(new EventEmitter(), { postMessage: vi.fn(), start: vi.fn(), close: vi.fn() });
  const menus: MenuItemConstructorOptions[][] = [];
  const deps = {
    app,
    BrowserWindow: FakeWindow,
    ipcMain: { handle: vi.fn() },
    protocol: { registerSchemesAsPrivileged: vi.fn(), handle: vi.fn() },
    appScheme: { scheme: 'quarry', privileges: {} },
    session: () => ({
      setPermissionRequestHandler: vi.fn(),
      setPermissionCheckHandler: vi.fn(),
      webRequest: { onBeforeRequest: vi.fn(), onHeadersReceived: vi.fn() },
    }),
    shell: { openExternal: vi.fn(async () => {}), openPath: vi.fn(async () => '') },
    dialog: { showSaveDialog: vi.fn(), showOpenDialog: vi.fn(), showErrorBox: vi.fn() },
    setThemeSource: vi.fn(),
    setApplicationMenu: (t: MenuItemConstructorOptions[]) => menus.push(t),
    createTray: () => {
      if (opts.trayFails) throw new Error('no tray');
      return { setToolTip: vi.fn(), setContextMenu: vi.fn(), on: vi.fn() };
    },
    buildMenu: (t: MenuItemConstructorOptions[]) => (menus.push(t), t),
    notify: { isSupported: () => true, show: vi.fn() },
    workAreas: () => [{ x: 0, y: 0, width: 1920, height: 1080 }],
    fetchFile: vi.fn(),
    printPdf: vi.fn(),
    engine: { fork: vi.fn(() => child), createChannel: () => ({ port1: port(), port2: port() }) },
    mainDir: '/app/out/main',
    argv: ['quarry', `--data-dir=${dataDir}`],
    env: {},
    platform: 'linux' as const,
  };
  return { deps: deps as unknown as DesktopDeps, app, child, menus, dataDir, raw: deps };
}

const settle = () => new Promise((r) => setTimeout(r, 0));

describe('the desktop shell', () => {
  it('opens one hardened window on the app scheme and hands it an engine port on every load', async () => {
    const { deps, child } = fakeDeps();
    startDesktop(deps);
    await settle();
    expect(FakeWindow.created).toHaveLength(1);
    const [win] = FakeWindow.created;
    expect(win!.options.webPreferences).toMatchObject({
      contextIsolation: true,
      sandbox: true,
      nodeIntegration: false,
      nodeIntegrationInWorker: false,
      nodeIntegrationInSubFrames: false,
      webSecurity: true,
      allowRunningInsecureContent: false,
      webviewTag: false,
      preload: path.join('/app/out/preload/index.cjs'),
    });
    expect(win!.loaded).toEqual(['quarry://app/index.html']);
    expect(win!.webContents.setWindowOpenHandler).toHaveBeenCalled();
    win!.webContents.emit('did-finish-load');
    win!.webContents.emit('did-finish-load'); // a reload gets a new port
    expect(win!.webContents.posted.map((p) => p[0])).toEqual(['quarry:engine-port', 'quarry:engine-port']);
    expect(child.postMessage.mock.calls.filter((c) => (c[0] as { type: string }).type === 'connect')).toHaveLength(3);
  });

  it('a second launch shows the existing window instead of opening another', async () => {
    const { deps, app } = fakeDeps();
    startDesktop(deps);
    await settle();
    app.emit('second-instance');
    expect(FakeWindow.created).toHaveLength(1);
    expect(FakeWindow.created[0]!.focus).toHaveBeenCalled();
  });

  it('does not start when another instance holds the lock', async () => {
    const { deps, app, raw } = fakeDeps({ gotLock: false });
    expect(startDesktop(deps)).toBeNull();
    await settle();
    expect(app.quit).toHaveBeenCalled();
    expect(FakeWindow.created).toHaveLength(0);
    expect(raw.engine.fork).not.toHaveBeenCalled();
  });

  it('keeps running in the tray when the window closes, and reopens it from there', async () => {
    const { deps, app } = fakeDeps();
    startDesktop(deps);
    await settle();
    const [win] = FakeWindow.created;
    win!.destroyed = true;
    win!.emit('closed');
    app.emit('window-all-closed');
    expect(app.quit).not.toHaveBeenCalled();
    app.emit('second-instance');
    expect(FakeWindow.created).toHaveLength(2);
  });

  it('quits when the last window closes if there is no tray', async () => {
    const { deps, app } = fakeDeps({ trayFails: true });
    startDesktop(deps);
    await settle();
    app.emit('window-all-closed');
    expect(app.quit).toHaveBeenCalled();
  });

  it('stops the engine before quitting', async () => {
    const { deps, app, child } = fakeDeps();
    startDesktop(deps);
    await settle();
    const event = { preventDefault: vi.fn() };
    app.emit('before-quit', event);
    expect(event.preventDefault).toHaveBeenCalled();
    expect(child.postMessage).toHaveBeenLastCalledWith({ type: 'shutdown' });
    child.emit('exit', 0);
    await settle();
    expect(app.quit).toHaveBeenCalled();
    app.emit('before-quit', { preventDefault: () => { throw new Error('second quit must go through'); } });
  });

  it('puts the data dir from --data-dir in userData and the engine environment', async () => {
    const { deps, app, dataDir, raw } = fakeDeps();
    startDesktop(deps);
    await settle();
    expect(app.setPath).toHaveBeenCalledWith('userData', dataDir);
    expect(raw.engine.fork).toHaveBeenCalledWith('/app/out/main/engine-host.js', { QUARRY_DATA_DIR: dataDir });
  });

  it('disables pause/resume in the tray and menu when the engine has no schedules API', async () => {
    const { deps, menus } = fakeDeps();
    startDesktop(deps);
    await settle();
    const items = menus.flatMap((m) => m.flatMap((i) => [i, ...((i.submenu as MenuItemConstructorOptions[] | undefined) ?? [])]));
    const pause = items.filter((i) => /pause all schedules/i.test(String(i.label)));
    expect(pause.length).toBe(2); // menu and tray
    const { apiMethodNames } = await import('../../../engine/api-names.js');
    const has = (apiMethodNames as readonly string[]).includes('schedules.pauseAll');
    for (const item of pause) expect(item.enabled).toBe(has);
  });
});
