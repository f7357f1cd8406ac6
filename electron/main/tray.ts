import type { MenuItemConstructorOptions } from 'electron';

export interface ScheduleActions {
  /** False until the engine has `schedules.pauseAll` / `schedules.resumeAll` (the scheduler issue). */
  available: boolean;
  pauseAll(): void;
  resumeAll(): void;
}

export interface TrayActions {
  show(): void;
  quit(): void;
}

/**
 * The tray menu: Quarry keeps running there (scheduled hunts go on with every
 * window closed), and schedules can be paused and resumed without opening it.
 */
export function trayMenuTemplate(schedules: ScheduleActions, actions: TrayActions): MenuItemConstructorOptions[] {
  return [
    { label: 'Open Quarry', click: () => actions.show() },
    { type: 'separator' },
    { label: 'Pause all schedules', enabled: schedules.available, click: () => schedules.pauseAll() },
    { label: 'Resume all schedules', enabled: schedules.available, click: () => schedules.resumeAll() },
    ...(schedules.available ? [] : [{ label: 'Schedules are not available in this build', enabled: false }]),
    { type: 'separator' },
    { label: 'Quit Quarry', click: () => actions.quit() },
  ];
}

export interface TrayLike {
  setToolTip(text: string): void;
  setContextMenu(menu: unknown): void;
  on(event: 'click', listener: () => void): unknown;
}

export function createTray(
  deps: { createTray(): TrayLike; buildMenu(template: MenuItemConstructorOptions[]): unknown },
  schedules: ScheduleActions,
  actions: TrayActions,
): TrayLike {
  const tray = deps.createTray();
  tray.setToolTip('Quarry: scheduled hunts keep running while the app is in the tray');
  tray.setContextMenu(deps.buildMenu(trayMenuTemplate(schedules, actions)));
  tray.on('click', () => actions.show());
  return tray;
}

/**
 * Pause and resume through the engine when it has the scheduler's API; the
 * outcome is reported back (a notification) so a click never fails silently.
 */
export function engineScheduleActions(
  engine: { has(method: string): boolean; call(method: string): Promise<unknown> },
  report: (message: string) => void,
): ScheduleActions {
  const available = engine.has('schedules.pauseAll') && engine.has('schedules.resumeAll');
  const run = (method: string, done: string): void => {
    engine.call(method).then(
      () => report(done),
      (err: unknown) => report(`Could not ${method === 'schedules.pauseAll' ? 'pause' : 'resume'} schedules: ${err instanceof Error ? err.message : String(err)}`),
    );
  };
  return {
    available,
    pauseAll: () => run('schedules.pauseAll', 'All schedules are paused.'),
    resumeAll: () => run('schedules.resumeAll', 'Schedules resumed.'),
  };
}
