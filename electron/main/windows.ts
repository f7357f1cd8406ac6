import type { BrowserWindowConstructorOptions } from 'electron';
import type { WindowState } from './window-state.js';

export interface WindowLike {
  readonly webContents: { id: number };
  maximize(): void;
}

export type BrowserWindowCtor<W extends WindowLike> = new (options: BrowserWindowConstructorOptions) => W;

/**
 * The main window. The webPreferences are written out literally here (not
 * built elsewhere) so a reader and the security scanner see every setting in
 * one place: sandboxed, context-isolated, no Node in the page or its workers
 * or frames, web security on, no webview, and middle-click (Auxclick) off so
 * links cannot open windows around the window-open handler.
 */
export function createMainWindow<W extends WindowLike>(BrowserWindow: BrowserWindowCtor<W>, preload: string, state: WindowState): W {
  const win = new BrowserWindow({
    x: state.x,
    y: state.y,
    width: state.width,
    height: state.height,
    minWidth: 900,
    minHeight: 600,
    show: false,
    title: 'Quarry',
    backgroundColor: '#0e1116',
    webPreferences: {
      // The preload is sandboxed and exposes only window.quarry (named engine methods) through contextBridge.
      preload, // eng-disable PRELOAD_JS_CHECK
      contextIsolation: true,
      sandbox: true,
      nodeIntegration: false,
      nodeIntegrationInWorker: false,
      nodeIntegrationInSubFrames: false,
      webSecurity: true,
      allowRunningInsecureContent: false,
      experimentalFeatures: false,
      disableBlinkFeatures: 'Auxclick',
      webviewTag: false,
      navigateOnDragDrop: false,
      safeDialogs: true,
      spellcheck: false,
    },
  });
  if (state.maximized) win.maximize();
  return win;
}

/** `--data-dir DIR` or `--data-dir=DIR` on the command line, else QUARRY_DATA_DIR, else the OS app-data folder. */
export function resolveDataDir(argv: readonly string[], env: Record<string, string | undefined>, fallback: string): string {
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i]!;
    if (arg.startsWith('--data-dir=')) return arg.slice('--data-dir='.length);
    if (arg === '--data-dir' && argv[i + 1]) return argv[i + 1]!;
  }
  return env.QUARRY_DATA_DIR || fallback;
}
