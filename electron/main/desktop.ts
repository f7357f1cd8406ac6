import path from 'node:path';
import type { BrowserWindow, MenuItemConstructorOptions } from 'electron';
import { apiEventNames } from '../../engine/api-names.js';
import { APP_ENTRY, appUrlMatcher, serveRenderer, type ProtocolLike } from './app-protocol.js';
import { hardenSession, hardenWebContents, type SessionLike } from './security.js';
import { EngineHost, type EngineDeps } from './engine-process.js';
import { claimSingleInstance, type InstanceApp } from './single-instance.js';
import { loadWindowState, saveWindowState, trackWindowState, type Rect } from './window-state.js';
import { createMainWindow, resolveDataDir, type BrowserWindowCtor } from './windows.js';
import { createTray, engineScheduleActions, type TrayLike } from './tray.js';
import { appMenuTemplate } from './menu.js';
import { notifyHighSeverityFindings } from './notifications.js';
import { registerDesktopHandlers, type DesktopServices } from '../ipc/desktop-handlers.js';
import type { IpcMainLike } from '../ipc/typed-ipc.js';
import { safeOpenExternal, type ShellLike } from '../security/open-external.js';

type Win = Pick<
  BrowserWindow,
  'show' | 'focus' | 'restore' | 'isMinimized' | 'isDestroyed' | 'loadURL' | 'maximize' | 'isMaximized' | 'getNormalBounds' | 'once'
> & {
  webContents: Parameters<typeof hardenWebContents>[0] & {
    id: number;
    on(event: 'did-finish-load', listener: () => void): unknown;
    reload(): void;
    postMessage(channel: string, message: unknown, transfer: never[]): void;
  };
  on(event: string, listener: () => void): unknown;
};

/** Everything main needs from Electron, passed in so the wiring can be tested with fakes. */
export interface DesktopDeps {
  app: InstanceApp & {
    whenReady(): Promise<unknown>;
    on(event: string, listener: (...args: unknown[]) => void): unknown;
    getPath(name: 'userData' | 'documents'): string;
    setPath(name: 'userData', value: string): void;
    isPackaged: boolean;
    quit(): void;
  };
  BrowserWindow: BrowserWindowCtor<Win>;
  ipcMain: IpcMainLike;
  protocol: ProtocolLike & { registerSchemesAsPrivileged(schemes: Array<{ scheme: string; privileges: object }>): void };
  appScheme: { scheme: string; privileges: object };
  session: () => SessionLike;
  shell: ShellLike & { openPath(path: string): Promise<string> };
  dialog: { showSaveDialog: DesktopServices['showSaveDialog']; showOpenDialog: DesktopServices['showOpenDialog']; showErrorBox(title: string, content: string): void };
  setThemeSource: DesktopServices['setThemeSource'];
  setApplicationMenu(template: MenuItemConstructorOptions[]): void;
  createTray: () => TrayLike;
  buildMenu: (template: MenuItemConstructorOptions[]) => unknown;
  notify: { isSupported(): boolean; show(title: string, body: string, onClick: () => void): void };
  workAreas(): Rect[];
  fetchFile(url: string): Promise<Response>;
  engine: Omit<EngineDeps, 'now'>;
  /** Prints report HTML to PDF for the engine (a hidden, script-less window). */
  printPdf(html: string): Promise<Uint8Array>;
  /** out/main, where the bundled main, preload and renderer are found. */
  mainDir: string;
  argv: readonly string[];
  env: Record<string, string | undefined>;
  platform: NodeJS.Platform;
}

/**
 * Main's whole job, wired from small parts: one instance, the renderer served
 * from the app scheme, the engine in a utilityProcess, a hardened window that
 * remembers its place, a tray that keeps Quarry (and its schedules) running,
 * the menu, and notifications for high-severity findings.
 */
export function startDesktop(deps: DesktopDeps): { quitting(): boolean } | null {
  const { app } = deps;
  const dataDir = resolveDataDir(deps.argv, deps.env, app.getPath('userData'));
  // The lock, window state and Chromium's profile follow the data dir: two data dirs are two independent Quarrys.
  app.setPath('userData', dataDir);
  let win: Win | null = null;
  let tray: TrayLike | null = null;
  let quitting = false;
  let engineStopped = false;
  let ready = false;
  const showWindow = (): void => {
    if (!ready) return;
    if (!win || win.isDestroyed()) {
      win = openWindow(); // shows itself once its first frame is painted
      return;
    }
    if (win.isMinimized()) win.restore();
    win.show();
    win.focus();
  };
  if (!claimSingleInstance(app, showWindow)) return null;
  deps.protocol.registerSchemesAsPrivileged([deps.appScheme]);

  const devUrl = app.isPackaged ? undefined : deps.env.ELECTRON_RENDERER_URL;
  const isAppUrl = appUrlMatcher(devUrl);
  const appWindows = new Set<number>();
  const stateFile = path.join(dataDir, 'window-state.json');
  const openExternal = (url: string): Promise<boolean> => safeOpenExternal(deps.shell, url);

  const engine = new EngineHost(
    { ...deps.engine, now: Date.now },
    {
      script: path.join(deps.mainDir, 'engine-host.js'),
      dataDir,
      onRestart: () => win && !win.isDestroyed() && win.webContents.reload(),
      printPdf: deps.printPdf,
      onCrashLoop: (code) => {
        deps.dialog.showErrorBox('Quarry engine stopped', `The engine exited (code ${code}) three times in a minute. Quarry will close; your data is unchanged.`);
        app.quit();
      },
    },
  );

  function openWindow(): Win {
    const state = loadWindowState(stateFile, deps.workAreas());
    const w = createMainWindow(deps.BrowserWindow, path.join(deps.mainDir, '../preload/index.cjs'), state);
    const id = w.webContents.id;
    appWindows.add(id);
    hardenWebContents(w.webContents, openExternal);
    trackWindowState(w, (s) => saveWindowState(stateFile, s));
    // Every load (first, reload, after an engine restart) gets a fresh port to the engine.
    w.webContents.on('did-finish-load', () => engine.connectPage(w.webContents));
    w.once('ready-to-show', () => w.show());
    w.on('closed', () => {
      appWindows.delete(id);
      if (win === w) win = null;
    });
    void w.loadURL(devUrl ?? APP_ENTRY);
    return w;
  }

  // Any other webContents (the hidden PDF printer window) gets the same navigation and window-open denial.
  app.on('web-contents-created', (_event, contents) => {
    const c = contents as Win['webContents'];
    if (!appWindows.has(c.id)) hardenWebContents(c, openExternal);
  });
  app.on('window-all-closed', () => {
    // With a tray, Quarry keeps running for scheduled hunts; without one (or on quit) it exits.
    if (!tray || quitting) app.quit();
  });
  app.on('activate', showWindow);
  app.on('before-quit', (event) => {
    quitting = true;
    if (engineStopped) return;
    (event as { preventDefault(): void }).preventDefault();
    void engine.stop().finally(() => {
      engineStopped = true;
      app.quit();
    });
  });

  void app.whenReady().then(() => {
    const session = deps.session();
    hardenSession(session, isAppUrl);
    serveRenderer(deps.protocol, path.join(deps.mainDir, '../renderer'), deps.fetchFile);
    engine.start();
    registerDesktopHandlers(deps.ipcMain, { isAppWindow: (id) => appWindows.has(id), isAppUrl }, {
      shell: deps.shell,
      showSaveDialog: deps.dialog.showSaveDialog,
      showOpenDialog: deps.dialog.showOpenDialog,
      documentsDir: app.getPath('documents'),
      grantPath: (file, access) => engine.grantPath(file, access),
      setThemeSource: deps.setThemeSource,
    });
    const report = (message: string): void => deps.notify.show('Quarry', message, showWindow);
    const schedules = engineScheduleActions(engine, report);
    const quit = (): void => app.quit();
    deps.setApplicationMenu(
      appMenuTemplate({
        isMac: deps.platform === 'darwin',
        isDev: !app.isPackaged,
        schedules,
        actions: { showWindow, quit, openDataFolder: () => void deps.shell.openPath(dataDir) },
      }),
    );
    try {
      tray = createTray({ createTray: deps.createTray, buildMenu: deps.buildMenu }, schedules, { show: showWindow, quit });
    } catch {
      tray = null; // no system tray (some Linux desktops): closing the window quits, as it would without one
    }
    notifyHighSeverityFindings(engine, apiEventNames, deps.notify, showWindow);
    ready = true;
    showWindow();
  });
  return { quitting: () => quitting };
}
