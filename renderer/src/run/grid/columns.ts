import type { ResultColumn, StoredValue } from '../../../../engine/types';
import { cellText } from '../../shared/format';

export const numericTypes = new Set(['int', 'long', 'real', 'decimal']);

/** A first guess at each column's width from its name and a sample of its values (the user can drag to change it). */
export function initialWidths(columns: ResultColumn[], sample: StoredValue[][]): number[] {
  return columns.map((c, i) => {
    // Header: bold name in the UI font, the type in small mono, the sort arrow and padding.
    const header = c.name.length * 7.6 + c.type.length * 6.2 + 44;
    let chars = 0;
    for (const row of sample.slice(0, 60)) chars = Math.max(chars, Math.min(48, cellText(row[i]).length));
    return Math.round(Math.min(380, Math.max(72, header, chars * 7.3 + 20)));
  });
}

/** A cell's text as shown: long values are cut for the DOM (the full value is copied and pivoted on). */
export function displayText(value: StoredValue | undefined): string {
  const text = cellText(value);
  return text.length > 400 ? `${text.slice(0, 400)}…` : text;
}

/** The cell a context menu or pivot is about. */
export interface CellRef {
  rowIndex: number;
  column: ResultColumn;
  value: StoredValue | undefined;
  row: StoredValue[] | undefined;
}
