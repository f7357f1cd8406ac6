import path from 'node:path';
import { z } from 'zod';
import { handleDesktop, type IpcMainLike, type SenderPolicy } from './typed-ipc.js';
import type { OpenPathRequest, SavePathRequest, Theme } from './channels.js';
import { safeOpenExternal, type ShellLike } from '../security/open-external.js';
import type { PathAccess } from '../../engine/transport/path-grants.js';

export interface DesktopServices {
  shell: ShellLike;
  /** Electron's dialog.showSaveDialog bound to the focused window. */
  showSaveDialog(options: { title: string; defaultPath: string; filters: Array<{ name: string; extensions: string[] }> }): Promise<{
    canceled: boolean;
    filePath?: string;
  }>;
  /** Electron's dialog.showOpenDialog. */
  showOpenDialog(options: { title: string; filters: Array<{ name: string; extensions: string[] }>; properties: Array<'openFile'> }): Promise<{
    canceled: boolean;
    filePaths: string[];
  }>;
  documentsDir: string;
  /** Tells the engine the user picked this path; resolves once it will accept it from a window. */
  grantPath(path: string, access: PathAccess): Promise<void>;
  setThemeSource(theme: Theme): void;
}

const urlArgs = z.tuple([z.string().max(8192)]);
const saveArgs = z.tuple([
  z.object({
    title: z.string().max(200),
    defaultName: z.string().max(255),
    extensions: z.array(z.string().regex(/^[A-Za-z0-9]{1,10}$/)).max(10),
  }),
]);
const openArgs = z.tuple([
  z.object({
    title: z.string().max(200),
    filters: z
      .array(z.object({ name: z.string().max(100), extensions: z.array(z.string().regex(/^(\*|[A-Za-z0-9]{1,10})$/)).min(1).max(20) }))
      .max(10),
  }).strict(), // the page picks the title and filters only, never dialog properties (folders, several files)
]);
const themeArgs = z.tuple([z.enum(['dark', 'light', 'system'])]);

/** The desktop methods of `window.quarry.desktop`, each behind the sender check and an argument schema. */
export function registerDesktopHandlers(ipcMain: IpcMainLike, policy: SenderPolicy, services: DesktopServices): void {
  handleDesktop(ipcMain, policy, 'openLink', (a) => urlArgs.parse(a), (url) => safeOpenExternal(services.shell, url));
  handleDesktop(ipcMain, policy, 'chooseSavePath', (a) => saveArgs.parse(a) as [SavePathRequest], async (req) => {
    // Only a file name from the page: it never picks the directory the dialog opens in.
    const name = path.basename(req.defaultName.replace(/[\\/]/g, '_')) || 'quarry-export';
    const result = await services.showSaveDialog({
      title: req.title,
      defaultPath: path.join(services.documentsDir, name),
      filters: req.extensions.length ? [{ name: req.extensions.join(', ').toUpperCase(), extensions: req.extensions }] : [],
    });
    if (result.canceled || !result.filePath) return null;
    // Granted before the page learns the path, so its export call finds the grant in place.
    await services.grantPath(result.filePath, 'write');
    return result.filePath;
  });
  handleDesktop(ipcMain, policy, 'chooseOpenPath', (a) => openArgs.parse(a) as [OpenPathRequest], async (req) => {
    // One existing file, never a folder or several: the page learns only the path the user picked.
    const result = await services.showOpenDialog({ title: req.title, filters: req.filters, properties: ['openFile'] });
    const picked = result.canceled ? undefined : result.filePaths[0];
    if (!picked) return null;
    await services.grantPath(picked, 'read');
    return picked;
  });
  handleDesktop(ipcMain, policy, 'setTheme', (a) => themeArgs.parse(a), (theme) => services.setThemeSource(theme));
}
