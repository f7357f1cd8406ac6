import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { app, BrowserWindow, MessageChannelMain, utilityProcess, type UtilityProcess } from 'electron';
import { secureWebPreferences, hardenSession, hardenWebContents } from './security.js';

const here = path.dirname(fileURLToPath(import.meta.url));

/**
 * The main process stays thin: one instance, the engine in a utilityProcess,
 * a window per MessagePort. Everything else is the engine's or the renderer's.
 */
function startEngine(): UtilityProcess {
  return utilityProcess.fork(path.join(here, 'engine-host.js'), [], {
    serviceName: 'Quarry engine',
    env: { ...process.env, QUARRY_DATA_DIR: process.env.QUARRY_DATA_DIR ?? app.getPath('userData') },
  });
}

function openWindow(engine: UtilityProcess): BrowserWindow {
  const win = new BrowserWindow({
    width: 1400,
    height: 900,
    backgroundColor: '#111418',
    title: 'Quarry',
    webPreferences: secureWebPreferences(path.join(here, '../preload/index.cjs')),
  });
  hardenWebContents(win.webContents);
  const { port1, port2 } = new MessageChannelMain();
  engine.postMessage({ type: 'connect' }, [port1]);
  win.webContents.once('did-finish-load', () => win.webContents.postMessage('quarry:engine-port', null, [port2]));
  if (process.env.ELECTRON_RENDERER_URL) void win.loadURL(process.env.ELECTRON_RENDERER_URL);
  else void win.loadFile(path.join(here, '../renderer/index.html'));
  return win;
}

if (!app.requestSingleInstanceLock()) {
  app.quit();
} else {
  void app.whenReady().then(() => {
    hardenSession();
    const engine = startEngine();
    let win = openWindow(engine);
    app.on('second-instance', () => {
      if (win.isDestroyed()) win = openWindow(engine);
      if (win.isMinimized()) win.restore();
      win.focus();
    });
    app.on('activate', () => {
      if (BrowserWindow.getAllWindows().length === 0) win = openWindow(engine);
    });
  });
  app.on('window-all-closed', () => {
    if (process.platform !== 'darwin') app.quit();
  });
}
