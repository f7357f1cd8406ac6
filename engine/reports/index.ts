/**
 * Reports and exports: the hunt report model (a run, a finding, a period),
 * rendered as HTML, PDF (through an injected Chromium printer), Markdown
 * (ticket bodies too) and STIX 2.1; results as CSV/JSON/JSON Lines and
 * Timesketch JSON Lines, streamed.
 */
export { buildReport, targetRuns, type ReportDeps, type ReportOptions } from './build.js';
export { exportToFile, renderText, writeExport, textFormats, type ExportDeps, type ExportOptions, type ExportOutcome, type TextFormat } from './export.js';
export { exportFormats, type ExportFormat, type ReportModel, type ReportTarget } from './model.js';
export {
  defaultReportExtras, emptyReportExtras, noFindings,
  type FindingsReportSource, type ReportExtras, type ReportFinding, type ReportFindingWithRuns, type ReportIndicator, type ReportTicket,
} from './extras.js';
export { renderHtml, reportCsp } from './html.js';
export { renderMarkdown, type MarkdownOptions } from './markdown.js';
export { buildStixBundle, stixPattern, type StixBundle } from './stix.js';
export { playwrightPrintToPdf, type PrintToPdf } from './pdf.js';
export { parseTarget } from './target.js';
