import { z } from 'zod';
import { exportFormats, type ExportFormat } from './model.js';

/**
 * The reports part of the engine API, spread into `apiSchemas` in
 * engine/api.ts. `reports.export` writes to a path the caller chose (the
 * app's save dialog) or, for html, md and stix, returns the text to show.
 */

const target = z.union([
  z.object({ runId: z.number().int().positive() }).strict(),
  z.object({ findingId: z.union([z.string().min(1), z.number().int().positive()]) }).strict(),
  z.object({ from: z.string().datetime({ offset: true }), to: z.string().datetime({ offset: true }) }).strict(),
]);

export const reportApiSchemas = {
  'reports.export': z.object({
    target,
    format: z.enum(exportFormats),
    /** Absolute, with the format's extension; without it, html, md and stix come back as text. */
    path: z.string().min(1).optional(),
    /** Timesketch: the datetime column to place rows by. */
    timeColumn: z.string().min(1).optional(),
    /** Chosen by the caller so it can follow `export.progress` and call `reports.cancel` while the export runs. */
    exportId: z.string().min(1).max(100).optional(),
  }),
  'reports.cancel': z.object({ exportId: z.string().min(1).max(100) }),
} as const;

export interface ReportExportResult {
  format: ExportFormat;
  /** Where the export was written, or null when returned as text. */
  path: string | null;
  bytes: number;
  /** The html, md or stix text when no path was given. */
  text: string | null;
  /** Rows (csv, json, jsonl) or events (timesketch) written. */
  rows?: number;
  /** Timesketch: rows without a time; STIX: indicators not exported. */
  skipped?: number;
  indicators?: number;
}

export interface ReportApiResults {
  'reports.export': ReportExportResult;
  /** False when no export of that id is running (it finished, or never started). */
  'reports.cancel': { cancelled: boolean };
}

/**
 * An export with an `exportId` on its way: preparing (indicators), rows written of the total, rendering
 * or printing; `cancelling` once `reports.cancel` has stopped it (it ends with a `cancelled` error).
 */
export interface ExportProgressEvent {
  exportId: string;
  phase: 'preparing' | 'rows' | 'rendering' | 'printing' | 'cancelling';
  rows: number;
  total: number | null;
}

export interface ReportApiEvents {
  'export.progress': ExportProgressEvent;
}
