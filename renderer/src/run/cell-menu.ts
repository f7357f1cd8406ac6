import type { MenuItem } from '../shared/ContextMenu.svelte';
import { cellText, copyText } from '../shared/format';
import type { CellRef } from './grid/columns';
import type { RowFilter } from './grid/row-source.svelte';
import type { ResultColumn } from '../../../engine/types';
import { valueFilter } from './pivot';

export interface CellActions {
  addFilter(filter: RowFilter): void;
  pivot(cell: CellRef): void;
  toast(text: string): void;
}

/** What a right-click on a value offers: keep it, drop it, copy it, or hunt for it elsewhere. */
export function cellMenu(cell: CellRef, columns: ResultColumn[], actions: CellActions): MenuItem[] {
  const { column, value, row } = cell;
  const text = cellText(value);
  const short = text.length > 32 ? `${text.slice(0, 32)}…` : text || 'empty';
  const items: MenuItem[] = [
    { label: `Filter: ${column.name} = ${short}`, icon: 'filter', action: () => actions.addFilter(valueFilter(column, value, false)) },
    { label: `Exclude: ${column.name} ≠ ${short}`, icon: 'exclude', action: () => actions.addFilter(valueFilter(column, value, true)) },
  ];
  if (column.type === 'datetime' && typeof value === 'string') {
    items.push(
      { label: 'Only rows at or after this time', icon: 'clock', action: () => actions.addFilter({ column: column.name, op: 'gte', value }) },
      { label: 'Only rows at or before this time', icon: 'clock', action: () => actions.addFilter({ column: column.name, op: 'lte', value }) },
    );
  }
  items.push(
    { label: 'Copy value', icon: 'copy', hint: 'Ctrl C', action: () => copyText(text) && actions.toast('Value copied.') },
    {
      label: 'Copy row (tab-separated)',
      icon: 'copy',
      hint: 'Ctrl Shift C',
      disabled: !row,
      action: () => row && copyText(row.map(cellText).join('\t')) && actions.toast('Row copied.'),
    },
    {
      label: 'Copy row as JSON',
      icon: 'copy',
      disabled: !row,
      action: () => row && copyText(JSON.stringify(Object.fromEntries(columns.map((c, i) => [c.name, row[i]])), null, 2)) && actions.toast('Row copied as JSON.'),
    },
    { label: 'New hunt for this value', icon: 'pivot', disabled: value === null || value === undefined, action: () => actions.pivot(cell) },
  );
  return items;
}
