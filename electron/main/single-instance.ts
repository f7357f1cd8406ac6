export interface InstanceApp {
  requestSingleInstanceLock(): boolean;
  quit(): void;
  on(event: 'second-instance', listener: () => void): unknown;
}

/**
 * One Quarry per data directory: a second launch hands over to the first
 * (which shows its window) and quits, so two apps never run the same store
 * and schedules. Returns whether this process is the one that keeps running.
 */
export function claimSingleInstance(app: InstanceApp, showExisting: () => void): boolean {
  if (!app.requestSingleInstanceLock()) {
    app.quit();
    return false;
  }
  app.on('second-instance', showExisting);
  return true;
}
