import type { MenuItemConstructorOptions } from 'electron';
import type { ScheduleActions } from './tray.js';

export interface MenuActions {
  showWindow(): void;
  openDataFolder(): void;
  quit(): void;
}

/**
 * The application menu. Editing roles give copy/paste their native shortcuts
 * (macOS needs them in a menu); the renderer owns its own shortcuts (Ctrl+Enter,
 * Ctrl+K), so none are bound here. Developer tools only in development.
 */
export function appMenuTemplate(opts: { isMac: boolean; isDev: boolean; schedules: ScheduleActions; actions: MenuActions }): MenuItemConstructorOptions[] {
  const { isMac, isDev, schedules, actions } = opts;
  const quit: MenuItemConstructorOptions = { label: 'Quit Quarry', accelerator: 'CmdOrCtrl+Q', click: () => actions.quit() };
  return [
    ...(isMac ? [{ label: 'Quarry', submenu: [{ role: 'about' }, { type: 'separator' }, { role: 'hide' }, { role: 'hideOthers' }, { type: 'separator' }, quit] } as MenuItemConstructorOptions] : []),
    {
      label: 'File',
      submenu: [
        { label: 'Open Data Folder', click: () => actions.openDataFolder() },
        { type: 'separator' },
        isMac ? { role: 'close' } : quit,
      ],
    },
    { role: 'editMenu' },
    {
      label: 'View',
      submenu: [
        { role: 'resetZoom' },
        { role: 'zoomIn' },
        { role: 'zoomOut' },
        { type: 'separator' },
        { role: 'togglefullscreen' },
        ...(isDev ? [{ type: 'separator' }, { role: 'reload' }, { role: 'toggleDevTools' }] as MenuItemConstructorOptions[] : []),
      ],
    },
    {
      label: 'Schedules',
      submenu: [
        { label: 'Pause All Schedules', enabled: schedules.available, click: () => schedules.pauseAll() },
        { label: 'Resume All Schedules', enabled: schedules.available, click: () => schedules.resumeAll() },
      ],
    },
    { role: 'windowMenu' },
    { role: 'help', submenu: [{ label: 'Show Quarry Window', click: () => actions.showWindow() }] },
  ];
}
