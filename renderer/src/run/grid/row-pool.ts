import type { StoredValue } from '../../../../engine/types';
import { displayText } from './columns';

/** A visible column as the body draws it: its index in the result's columns and its width in px. */
export interface PoolColumn {
  index: number;
  width: number;
  numeric: boolean;
}

/** One recycled row element, and what it shows now so unchanged text is never written again. */
interface Slot {
  el: HTMLDivElement;
  gutter: Text;
  cells: HTMLDivElement[];
  texts: Text[];
  shown: string[];
  nulls: boolean[];
  index: number;
  /** The row's values as last drawn; undefined while its page loads (cells empty). */
  values: StoredValue[] | undefined;
}

/**
 * The grid body's rows, built by hand rather than by a Svelte each block: a
 * fixed pool of row elements, re-used as the window moves. A row that stays in
 * view keeps its element and its text; a row scrolled out is moved to the other
 * end and given the new row's text. Only changed text is written, so a page of
 * data arriving for rows out of view costs nothing.
 */
export class RowPool {
  private slots: Slot[] = [];
  private columns: PoolColumn[] = [];
  private first = 0;
  private selectedCell: HTMLDivElement | null = null;

  constructor(private readonly container: HTMLElement) {}

  /** Rebuilds the rows when the visible columns change; only resizes cells when just their widths do. */
  setColumns(columns: PoolColumn[]): void {
    const same = columns.length === this.columns.length && columns.every((c, i) => c.index === this.columns[i]!.index && c.numeric === this.columns[i]!.numeric);
    if (same) {
      columns.forEach((c, i) => {
        if (c.width !== this.columns[i]!.width) for (const s of this.slots) s.cells[i]!.style.width = `${c.width}px`;
      });
    } else {
      this.container.replaceChildren();
      this.slots = [];
      this.selectedCell = null;
    }
    this.columns = columns;
  }

  /** Shows rows [first, first + count), `rowAt` giving each row's values or undefined while loading. */
  render(first: number, count: number, rowAt: (index: number) => StoredValue[] | undefined, selected: { row: number; col: number } | null): void {
    this.resize(count);
    this.rotate(first);
    for (let k = 0; k < this.slots.length; k++) this.fill(this.slots[k]!, first + k, rowAt(first + k));
    const slot = selected ? this.slots[selected.row - first] : undefined;
    this.select((selected && slot?.cells[selected.col]) || null);
  }

  private resize(count: number): void {
    while (this.slots.length < count) {
      const slot = this.createSlot();
      this.container.append(slot.el);
      this.slots.push(slot);
    }
    while (this.slots.length > count) this.slots.pop()!.el.remove();
  }

  /** Keeps the rows still in view where they are: the ones that left move to the side the window moved to. */
  private rotate(first: number): void {
    const delta = first - this.first;
    const n = this.slots.length;
    this.first = first;
    if (delta > 0 && delta < n) {
      const moved = this.slots.splice(0, delta);
      this.container.append(...moved.map((s) => s.el));
      this.slots.push(...moved);
    } else if (delta < 0 && -delta < n) {
      const moved = this.slots.splice(n + delta);
      this.container.prepend(...moved.map((s) => s.el));
      this.slots.unshift(...moved);
    }
  }

  private fill(slot: Slot, index: number, values: StoredValue[] | undefined): void {
    if (slot.index !== index) {
      slot.index = index;
      slot.el.setAttribute('data-row-index', String(index));
      slot.el.setAttribute('aria-rowindex', String(index + 2)); // row 1 is the header
      slot.el.classList.toggle('alt', index % 2 === 1);
      slot.gutter.data = String(index + 1);
    }
    if (slot.values === values) return;
    if (!slot.values !== !values) {
      // A row whose page is on its way keeps its cells, empty: the DOM's shape never changes while scrolling.
      slot.el.classList.toggle('pending', !values);
      slot.el.setAttribute('aria-busy', String(!values));
      for (const cell of slot.cells) {
        if (values) cell.setAttribute('role', 'gridcell');
        else cell.removeAttribute('role');
      }
    }
    slot.values = values;
    this.columns.forEach((c, i) => {
      const v = values?.[c.index];
      const text = v === undefined ? '' : v === null ? 'null' : displayText(v);
      if (slot.shown[i] !== text) {
        slot.shown[i] = text;
        slot.texts[i]!.data = text;
      }
      if (slot.nulls[i] !== (v === null)) {
        slot.nulls[i] = v === null;
        slot.cells[i]!.classList.toggle('null', v === null);
      }
    });
  }

  private select(cell: HTMLDivElement | null): void {
    if (cell === this.selectedCell) return;
    this.selectedCell?.classList.remove('selected');
    this.selectedCell?.removeAttribute('aria-selected');
    cell?.classList.add('selected');
    cell?.setAttribute('aria-selected', 'true');
    this.selectedCell = cell;
  }

  private createSlot(): Slot {
    const el = document.createElement('div');
    el.className = 'row pending';
    el.setAttribute('role', 'row');
    el.setAttribute('aria-busy', 'true');
    const gutterEl = document.createElement('div');
    gutterEl.className = 'gutter';
    const gutter = document.createTextNode('');
    gutterEl.append(gutter);
    el.append(gutterEl);
    const cells: HTMLDivElement[] = [];
    const texts: Text[] = [];
    for (const c of this.columns) {
      const cell = document.createElement('div');
      cell.className = c.numeric ? 'cell num' : 'cell';
      cell.dataset.col = String(c.index);
      cell.style.width = `${c.width}px`;
      const text = document.createTextNode('');
      cell.append(text);
      el.append(cell);
      cells.push(cell);
      texts.push(text);
    }
    return { el, gutter, cells, texts, shown: this.columns.map(() => ''), nulls: this.columns.map(() => false), index: -1, values: undefined };
  }
}
