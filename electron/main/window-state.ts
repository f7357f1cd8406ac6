import fs from 'node:fs';
import path from 'node:path';

/** Where and how big the main window was, remembered across restarts in userData/window-state.json. */
export interface WindowState {
  x?: number;
  y?: number;
  width: number;
  height: number;
  maximized: boolean;
}

export interface Rect {
  x: number;
  y: number;
  width: number;
  height: number;
}

export const DEFAULT_WINDOW_STATE: WindowState = { width: 1400, height: 900, maximized: false };
const MIN_WIDTH = 900;
const MIN_HEIGHT = 600;

const finite = (v: unknown): v is number => typeof v === 'number' && Number.isFinite(v);

/**
 * The saved state, checked against the displays present now: a file that is
 * missing, unreadable or malformed gives the default, and a position on a
 * monitor that is no longer attached is dropped so the window is never off-screen.
 */
export function loadWindowState(file: string, workAreas: Rect[]): WindowState {
  let saved: Record<string, unknown>;
  try {
    saved = JSON.parse(fs.readFileSync(file, 'utf8')) as Record<string, unknown>;
  } catch {
    return { ...DEFAULT_WINDOW_STATE };
  }
  if (typeof saved !== 'object' || saved === null || !finite(saved.width) || !finite(saved.height)) return { ...DEFAULT_WINDOW_STATE };
  const state: WindowState = {
    width: Math.max(MIN_WIDTH, Math.round(saved.width)),
    height: Math.max(MIN_HEIGHT, Math.round(saved.height)),
    maximized: saved.maximized === true,
  };
  if (finite(saved.x) && finite(saved.y)) {
    const rect = { x: Math.round(saved.x), y: Math.round(saved.y), width: state.width, height: state.height };
    if (workAreas.some((area) => visibleEnough(rect, area))) Object.assign(state, { x: rect.x, y: rect.y });
  }
  return state;
}

/** At least 100x50 px of the title bar area lies on this display, so the user can grab the window. */
function visibleEnough(win: Rect, area: Rect): boolean {
  const w = Math.min(win.x + win.width, area.x + area.width) - Math.max(win.x, area.x);
  const h = Math.min(win.y + 50, area.y + area.height) - Math.max(win.y, area.y);
  return w >= 100 && h >= 50;
}

/** Written to a temporary file and renamed, so a crash mid-write never leaves half a file. */
export function saveWindowState(file: string, state: WindowState): void {
  fs.mkdirSync(path.dirname(file), { recursive: true });
  const tmp = `${file}.${process.pid}.tmp`;
  fs.writeFileSync(tmp, JSON.stringify(state));
  fs.renameSync(tmp, file);
}

export interface TrackedWindow {
  getNormalBounds(): Rect;
  isMaximized(): boolean;
  isDestroyed(): boolean;
  on(event: 'resize' | 'move' | 'maximize' | 'unmaximize' | 'close', listener: () => void): unknown;
}

export interface Timers {
  setTimeout(fn: () => void, ms: number): unknown;
  clearTimeout(handle: unknown): void;
}

/**
 * Saves the window's normal (un-maximised) bounds and maximised flag after it
 * stops moving or resizing, and once more when it closes.
 */
export function trackWindowState(win: TrackedWindow, save: (state: WindowState) => void, timers: Timers = globalThis as Timers, debounceMs = 500): void {
  let pending: unknown = null;
  const snapshot = (): WindowState => ({ ...win.getNormalBounds(), maximized: win.isMaximized() });
  const flush = (): void => {
    if (pending !== null) timers.clearTimeout(pending);
    pending = null;
    save(snapshot());
  };
  const schedule = (): void => {
    if (pending !== null) timers.clearTimeout(pending);
    pending = timers.setTimeout(() => {
      pending = null;
      if (!win.isDestroyed()) save(snapshot());
    }, debounceMs);
  };
  for (const event of ['resize', 'move', 'maximize', 'unmaximize'] as const) win.on(event, schedule);
  win.on('close', flush);
}
