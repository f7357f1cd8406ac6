import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { DEFAULT_WINDOW_STATE, loadWindowState, saveWindowState, trackWindowState, type Rect, type TrackedWindow } from '../../../electron/main/window-state.js';
import { tempDir } from '../../helpers/temp-dir.js';

const laptop: Rect = { x: 0, y: 0, width: 1920, height: 1080 };
const external: Rect = { x: 1920, y: 0, width: 2560, height: 1440 };

describe('window state', () => {
  it('round-trips position, size and maximised through the JSON file', () => {
    const file = path.join(tempDir(), 'window-state.json');
    saveWindowState(file, { x: 2000, y: 100, width: 1600, height: 1000, maximized: true });
    expect(loadWindowState(file, [laptop, external])).toEqual({ x: 2000, y: 100, width: 1600, height: 1000, maximized: true });
    expect(fs.readdirSync(path.dirname(file))).toEqual(['window-state.json']); // no temp file left behind
  });

  it('drops a position on a monitor that is no longer attached, keeping the size', () => {
    const file = path.join(tempDir(), 'window-state.json');
    saveWindowState(file, { x: 2000, y: 100, width: 1600, height: 1000, maximized: false });
    expect(loadWindowState(file, [laptop])).toEqual({ width: 1600, height: 1000, maximized: false });
  });

  it('uses the default for a missing or corrupt file and enforces a minimum size', () => {
    const dir = tempDir();
    expect(loadWindowState(path.join(dir, 'none.json'), [laptop])).toEqual(DEFAULT_WINDOW_STATE);
    fs.writeFileSync(path.join(dir, 'bad.json'), '{"width": "wide"');
    expect(loadWindowState(path.join(dir, 'bad.json'), [laptop])).toEqual(DEFAULT_WINDOW_STATE);
    fs.writeFileSync(path.join(dir, 'tiny.json'), JSON.stringify({ x: 10, y: 10, width: 20, height: 20, maximized: 'yes' }));
    expect(loadWindowState(path.join(dir, 'tiny.json'), [laptop])).toEqual({ x: 10, y: 10, width: 900, height: 600, maximized: false });
  });

  it('saves once the window stops moving, and on close', () => {
    const listeners = new Map<string, () => void>();
    let bounds = { x: 1, y: 2, width: 1000, height: 700 };
    let maximized = false;
    const win: TrackedWindow = {
      getNormalBounds: () => bounds,
      isMaximized: () => maximized,
      isDestroyed: () => false,
      on: (e, l) => listeners.set(e, l),
    };
    const timers: Array<() => void> = [];
    const saved: unknown[] = [];
    trackWindowState(win, (s) => saved.push(s), {
      setTimeout: (fn) => timers.push(fn),
      clearTimeout: (h) => (timers[(h as number) - 1] = () => {}),
    });
    listeners.get('move')!();
    bounds = { ...bounds, x: 50 };
    listeners.get('resize')!();
    expect(saved).toEqual([]); // debounced
    timers.forEach((t) => t());
    expect(saved).toEqual([{ x: 50, y: 2, width: 1000, height: 700, maximized: false }]);
    maximized = true;
    listeners.get('close')!();
    expect(saved.at(-1)).toEqual({ x: 50, y: 2, width: 1000, height: 700, maximized: true });
  });
});
