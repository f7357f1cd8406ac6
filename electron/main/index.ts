/**
 * The only file that loads Electron's runtime modules: it hands them to
 * startDesktop, which holds main's (small) logic and is unit-tested with fakes.
 */
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import {
  app, BrowserWindow, dialog, ipcMain, Menu, MessageChannelMain, nativeImage, nativeTheme, net, Notification, protocol, screen, session, shell, Tray, utilityProcess,
} from 'electron';
import { startDesktop } from './desktop.js';
import { APP_SCHEME, appSchemePrivileges } from './app-protocol.js';
import { createPdfPrinter } from './pdf-printer.js';

const mainDir = path.dirname(fileURLToPath(import.meta.url));
const trayIcon = path.join(mainDir, '../../resources', process.platform === 'darwin' ? 'trayTemplate.png' : 'tray.png');

startDesktop({
  app,
  BrowserWindow,
  ipcMain,
  protocol,
  appScheme: { scheme: APP_SCHEME, privileges: appSchemePrivileges },
  session: () => session.defaultSession,
  shell,
  dialog: {
    showSaveDialog: (options) => dialog.showSaveDialog(options),
    showOpenDialog: (options) => dialog.showOpenDialog(options),
    showErrorBox: (title, content) => dialog.showErrorBox(title, content),
  },
  setThemeSource: (theme) => (nativeTheme.themeSource = theme),
  setApplicationMenu: (template) => Menu.setApplicationMenu(Menu.buildFromTemplate(template)),
  createTray: () => new Tray(nativeImage.createFromPath(trayIcon)),
  buildMenu: (template) => Menu.buildFromTemplate(template),
  notify: {
    isSupported: () => Notification.isSupported(),
    show: (title, body, onClick) => {
      const n = new Notification({ title, body });
      n.on('click', onClick);
      n.show();
    },
  },
  workAreas: () => screen.getAllDisplays().map((d) => d.workArea),
  fetchFile: (url) => net.fetch(url),
  engine: {
    fork: (script, env) => utilityProcess.fork(script, [], { serviceName: 'Quarry engine', env: { ...process.env, ...env } }),
    createChannel: () => new MessageChannelMain(),
  },
  printPdf: createPdfPrinter(BrowserWindow),
  mainDir,
  argv: process.argv,
  env: process.env,
  platform: process.platform,
});
