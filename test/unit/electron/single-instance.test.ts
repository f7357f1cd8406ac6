import { describe, expect, it, vi } from 'vitest';
import { claimSingleInstance, type InstanceApp } from '../../../electron/main/single-instance.js';

function fakeApp(gotLock: boolean) {
  const listeners = new Map<string, () => void>();
  const app: InstanceApp = { requestSingleInstanceLock: () => gotLock, quit: vi.fn(), on: (e, l) => listeners.set(e, l) };
  return { app, listeners };
}

describe('single instance', () => {
  it('the second launch quits and leaves the first running', () => {
    const { app, listeners } = fakeApp(false);
    const show = vi.fn();
    expect(claimSingleInstance(app, show)).toBe(false);
    expect(app.quit).toHaveBeenCalled();
    expect(listeners.size).toBe(0);
  });

  it('the first instance shows its window when another launch is attempted', () => {
    const { app, listeners } = fakeApp(true);
    const show = vi.fn();
    expect(claimSingleInstance(app, show)).toBe(true);
    expect(app.quit).not.toHaveBeenCalled();
    listeners.get('second-instance')!();
    expect(show).toHaveBeenCalledTimes(1);
  });
});
