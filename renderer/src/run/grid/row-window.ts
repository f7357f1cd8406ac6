/** The grid's fixed geometry: every row is one line of the same height, so positions are arithmetic, never measured. */
export const ROW_H = 26;
export const HEADER_H = 32;
/** Browsers cap an element's height; past this the scrollbar is scaled onto the rows. */
export const MAX_SCROLL_HEIGHT = 10_000_000;

/** The rows to draw for one scroll position. */
export interface RowWindow {
  /** First row drawn (overscan included) and how many. */
  first: number;
  count: number;
  /** First row wholly or partly in view. */
  top: number;
  /** Where the drawn block sits in the scroller's content, in px. */
  offset: number;
  /** The scroll position in unscaled row pixels. */
  virtualTop: number;
}

export const spacerHeight = (total: number): number => Math.min(total * ROW_H, MAX_SCROLL_HEIGHT);

/** Row pixels per scrolled pixel: 1 until the rows outgrow MAX_SCROLL_HEIGHT. */
function scale(total: number, bodyH: number): number {
  const real = total * ROW_H;
  return real <= MAX_SCROLL_HEIGHT ? 1 : (real - bodyH) / Math.max(1, MAX_SCROLL_HEIGHT - bodyH);
}

export function rowWindow(scrollTop: number, bodyH: number, total: number, overscan: number): RowWindow {
  const virtualTop = scrollTop * scale(total, bodyH);
  const top = Math.floor(virtualTop / ROW_H);
  const first = Math.max(0, top - overscan);
  const last = Math.min(total - 1, Math.floor((virtualTop + bodyH) / ROW_H) + overscan);
  return { first, count: Math.max(0, last - first + 1), top, offset: first * ROW_H - virtualTop + scrollTop, virtualTop };
}

/** The scrollTop that puts the row pixel `y` at the top of the body. */
export const scrollTopFor = (y: number, total: number, bodyH: number): number => y / scale(total, bodyH);
