import type { BrowserWindowConstructorOptions } from 'electron';

export interface PrintWindow {
  loadURL(url: string): Promise<void>;
  webContents: { printToPDF(options: { printBackground: boolean; pageSize: 'A4'; margins: { marginType: 'default' } }): Promise<Buffer> };
  destroy(): void;
}

/**
 * Prints a report (self-contained HTML, charts as inline SVG) to PDF in a
 * hidden window with JavaScript off and no preload: whatever the report
 * contains, nothing in it runs. The session's request filter still refuses any
 * remote fetch.
 */
export function createPdfPrinter(BrowserWindow: new (o: BrowserWindowConstructorOptions) => PrintWindow): (html: string) => Promise<Uint8Array> {
  return async (html) => {
    // Hidden, never shown, JavaScript off, and hardened like every other web contents (navigation and window.open denied in desktop.ts): no click can reach it.
    const win = new BrowserWindow({ // eng-disable AUXCLICK_JS_CHECK
      show: false,
      webPreferences: {
        javascript: false,
        sandbox: true,
        contextIsolation: true,
        nodeIntegration: false,
        webSecurity: true,
        webviewTag: false,
        spellcheck: false,
      },
    });
    try {
      await win.loadURL(`data:text/html;charset=utf-8;base64,${Buffer.from(html, 'utf8').toString('base64')}`);
      return new Uint8Array(await win.webContents.printToPDF({ printBackground: true, pageSize: 'A4', margins: { marginType: 'default' } }));
    } finally {
      win.destroy();
    }
  };
}
