/**
 * PDF is the HTML report printed by Chromium. Whoever has a Chromium supplies
 * the printer: the desktop app wraps `webContents.printToPDF` of a hidden,
 * script-less window; the CLI and tests use Playwright with the system
 * Chromium (`playwrightPrintToPdf`). The engine itself never starts a browser.
 */

import { QuarryError } from '../errors.js';

export type PrintToPdf = (html: string) => Promise<Buffer>;

const printers = new WeakMap<object, PrintToPdf>();

/** The app registers its printer (webContents.printToPDF via the main process) for its engine. */
export function setPdfPrinter(engine: object, printer: PrintToPdf): void {
  printers.set(engine, printer);
}

/** The engine's registered printer, else Playwright with the system Chromium (CLI, tests, dev). */
export function pdfPrinterFor(engine: object): PrintToPdf {
  return printers.get(engine) ?? playwrightPrintToPdf();
}

export interface PlaywrightPdfOptions {
  /** Defaults to $QUARRY_CHROMIUM, else /usr/bin/chromium. Playwright's own browser download is never used. */
  executablePath?: string;
}

const footer = `<div style="font-size:8px;color:#64748b;width:100%;padding:0 10mm;display:flex;justify-content:space-between;font-family:sans-serif">
<span>Quarry hunt report</span><span><span class="pageNumber"></span> / <span class="totalPages"></span></span></div>`;

/**
 * Prints with a headless system Chromium: JavaScript off, offline, every
 * request refused (the report makes none; this makes sure of it).
 */
export function playwrightPrintToPdf(opts: PlaywrightPdfOptions = {}): PrintToPdf {
  return async (html) => {
    // Imported here so that nothing else in the engine needs Playwright (a dev dependency: the app brings its own printer).
    let chromium: typeof import('playwright').chromium;
    try {
      ({ chromium } = await import('playwright'));
    } catch {
      throw new QuarryError('internal', 'PDF export needs Chromium: this build has no PDF printer (the app prints with its own window; the CLI uses Playwright)');
    }
    const browser = await chromium.launch({
      executablePath: opts.executablePath ?? process.env.QUARRY_CHROMIUM ?? '/usr/bin/chromium',
      args: ['--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--no-first-run'],
    });
    try {
      const context = await browser.newContext({ javaScriptEnabled: false, offline: true });
      await context.route('**/*', (route) => route.abort());
      const page = await context.newPage();
      await page.setContent(html, { waitUntil: 'load' });
      await page.emulateMedia({ media: 'print' });
      return await page.pdf({
        format: 'A4',
        printBackground: true,
        preferCSSPageSize: true,
        displayHeaderFooter: true,
        headerTemplate: '<span></span>',
        footerTemplate: footer,
        margin: { top: '12mm', bottom: '14mm', left: '10mm', right: '10mm' },
      });
    } finally {
      await browser.close();
    }
  };
}
