import type { RowsPage } from '../../../../engine/api';
import type { ResultColumn, StoredValue } from '../../../../engine/types';
import { errorText } from '../../shared/api';

export type FilterOp = 'eq' | 'neq' | 'contains' | 'not_contains' | 'gt' | 'gte' | 'lt' | 'lte' | 'is_null' | 'not_null';
export interface RowFilter {
  column: string;
  op: FilterOp;
  value?: string | number | null;
}
export interface RowSort {
  column: string;
  descending?: boolean;
}
export interface RowQuery {
  sort?: RowSort;
  filters: RowFilter[];
}

/** How long a flying scroll must rest before the pages under it are asked for. */
const SETTLE_MS = 50;

type FetchPage = (args: { offset: number; limit: number; sort?: RowSort; filters?: RowFilter[] }) => Promise<RowsPage>;

/**
 * The grid's window onto a stored result: pages of rows fetched on demand
 * (sorted and filtered in SQLite by the engine), a bounded cache, and at most
 * two requests in flight, always for what is on screen now (or next); a fast
 * scroll through 500k rows neither queues up nor asks for the pages it flies past.
 */
export class RowSource {
  total = $state(0);
  columns = $state<ResultColumn[]>([]);
  /** Bumped whenever a page arrives, so the grid re-reads rows. */
  version = $state(0);
  ready = $state(false);
  error = $state<string | null>(null);

  // Deliberately not reactive: the grid re-reads rows when `version` changes, not on every cache touch.
  // eslint-disable-next-line svelte/prefer-svelte-reactivity
  private pages = new Map<number, StoredValue[][]>();
  // eslint-disable-next-line svelte/prefer-svelte-reactivity
  private inflight = new Set<number>();
  private wanted: number[] = [];
  /** The grid's last window, its last move in rows, and what that says about paging. */
  private viewed = { first: 0, last: -1 };
  private lastStep = 0;
  private flying = false;
  private ahead = 0;
  private settleTimer: ReturnType<typeof setTimeout> | undefined;
  private generation = 0;
  private query: RowQuery = { filters: [] };

  constructor(
    private readonly fetchPage: FetchPage,
    readonly pageSize = 200,
    private readonly maxPages = 60,
    private readonly maxInflight = 2,
  ) {}

  /** Starts over with a new sort or filter: the first page gives the total and the columns. */
  async reset(query: RowQuery): Promise<void> {
    const generation = ++this.generation;
    this.query = query;
    this.pages.clear();
    this.inflight.clear();
    this.wanted = [];
    clearTimeout(this.settleTimer);
    try {
      const page = await this.fetchPage({ offset: 0, limit: this.pageSize, sort: query.sort, filters: query.filters });
      if (generation !== this.generation) return;
      this.columns = page.columns;
      this.total = page.total;
      this.pages.set(0, page.rows);
      this.error = null;
    } catch (err) {
      if (generation !== this.generation) return;
      this.error = errorText(err);
      this.total = 0;
    }
    this.ready = true;
    this.version++;
  }

  /** The row at an index, or undefined while its page is loading. */
  row(index: number): StoredValue[] | undefined {
    const page = Math.floor(index / this.pageSize);
    const rows = this.pages.get(page);
    if (!rows) return undefined;
    // Re-inserting marks the page recently used for eviction.
    this.pages.delete(page);
    this.pages.set(page, rows);
    return rows[index - page * this.pageSize];
  }

  /**
   * The grid now shows rows [first, last]: asks for their pages and reads one
   * ahead in the direction of scrolling. While the window flies past a page or
   * more per frame, a page asked for would land after it has moved on, so
   * asking waits until the scroll rests.
   */
  view(first: number, last: number): void {
    const step = first - this.viewed.first;
    if (step !== 0) {
      // One jump (Ctrl+End, a click on the scrollbar track) is asked for at once; a second in a row is a fling.
      this.flying = Math.abs(step) >= this.pageSize && Math.abs(this.lastStep) >= this.pageSize;
      this.lastStep = step;
      this.ahead = Math.abs(step) < this.pageSize ? Math.sign(step) : 0;
    }
    this.viewed = { first, last };
    clearTimeout(this.settleTimer);
    if (!this.flying) return this.ensure(first, last, this.ahead);
    this.settleTimer = setTimeout(() => {
      this.flying = false;
      this.lastStep = 0;
      this.ensure(this.viewed.first, this.viewed.last);
    }, SETTLE_MS);
  }

  /**
   * Asks for the pages covering rows [first, last], then the next page in the
   * given direction (1 down, -1 up) so it is there before it is shown;
   * anything wanted earlier and not started yet is dropped.
   */
  private ensure(first: number, last: number, direction = 0): void {
    if (!this.ready || this.total === 0) return;
    const lastPage = Math.floor((this.total - 1) / this.pageSize);
    const from = Math.max(0, Math.floor(first / this.pageSize));
    const to = Math.min(lastPage, Math.floor(last / this.pageSize));
    this.wanted = [];
    for (let p = from; p <= to; p++) if (!this.pages.has(p)) this.wanted.push(p);
    const ahead = direction > 0 ? to + 1 : direction < 0 ? from - 1 : -1;
    if (ahead >= 0 && ahead <= lastPage && !this.pages.has(ahead)) this.wanted.push(ahead);
    this.pump();
  }

  private pump(): void {
    while (this.inflight.size < this.maxInflight) {
      const page = this.wanted.shift();
      if (page === undefined) return;
      if (this.pages.has(page) || this.inflight.has(page)) continue;
      void this.load(page, this.generation);
    }
  }

  private async load(page: number, generation: number): Promise<void> {
    this.inflight.add(page);
    try {
      const { sort, filters } = this.query;
      const result = await this.fetchPage({ offset: page * this.pageSize, limit: this.pageSize, sort, filters });
      if (generation !== this.generation) return;
      this.pages.set(page, result.rows);
      this.total = result.total;
      while (this.pages.size > this.maxPages) this.pages.delete(this.pages.keys().next().value!);
      this.version++;
    } catch (err) {
      if (generation === this.generation) this.error = errorText(err);
    } finally {
      if (generation === this.generation) {
        this.inflight.delete(page);
        this.pump();
      }
    }
  }
}
