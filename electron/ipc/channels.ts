/**
 * The few things only the desktop shell can do for the page (the engine API
 * covers everything else). No dependencies: the sandboxed preload, main and
 * the renderer's types all read this file.
 */
export type Theme = 'dark' | 'light' | 'system';

export interface SavePathRequest {
  title: string;
  defaultName: string;
  /** File extensions without the dot, e.g. ['html']. */
  extensions: string[];
}

export interface OpenPathRequest {
  title: string;
  /** What the dialog offers to pick, e.g. [{ name: 'Logs', extensions: ['csv', 'gz'] }]; '*' is any file. */
  filters: Array<{ name: string; extensions: string[] }>;
}

export interface DesktopApi {
  /** Opens an http(s) link in the user's browser; false if the link was refused. */
  openLink(url: string): Promise<boolean>;
  /** Asks the user where to save a file; null when they cancel. */
  chooseSavePath(request: SavePathRequest): Promise<string | null>;
  /** Asks the user for one existing file to read (a log export to import); null when they cancel. */
  chooseOpenPath(request: OpenPathRequest): Promise<string | null>;
  /** Native parts of the window (menus, scrollbars, title bar) follow the app's theme. */
  setTheme(theme: Theme): Promise<void>;
}

/** IPC channel of each desktop method: one channel per named method, no generic invoke. */
export const desktopChannels = {
  openLink: 'desktop:open-link',
  chooseSavePath: 'desktop:choose-save-path',
  chooseOpenPath: 'desktop:choose-open-path',
  setTheme: 'desktop:set-theme',
} as const satisfies Record<keyof DesktopApi, string>;

/** Main hands each window its engine port on this channel (main -> renderer only). */
export const enginePortChannel = 'quarry:engine-port';
