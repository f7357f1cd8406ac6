import type { Histogram } from '../runs/histogram.js';
import { html, type SafeHtml } from './html-escape.js';
import { formatCount, formatSpan, formatTime } from './format.js';

/**
 * Charts as inline SVG built from numbers: no script, no external file, the
 * same in a browser, a PDF, and offline. Colours come from presentation
 * attributes, so the report's CSP needs no inline-style allowance.
 */

const W = 960;
const H = 220;
const PAD = { left: 56, right: 16, top: 16, bottom: 40 };
/** The fewest bucket slots an axis shows: one bar is then at most 1/24 of the chart's width. */
const MIN_SLOTS = 24;

/** Axis maxima a reader can read: 1, 2, 5, 10, 20, 50… */
function niceMax(n: number): number {
  if (n <= 1) return 1;
  const p = 10 ** Math.floor(Math.log10(n));
  for (const m of [1, 2, 5, 10]) if (m * p >= n) return m * p;
  return 10 * p;
}

/** Tick text: the date only for day buckets, the time only within a day, both across days (always UTC). */
function tickLabel(ms: number, bucketMs: number, spanMs: number): string {
  const iso = new Date(ms).toISOString();
  if (bucketMs >= 86_400_000) return iso.slice(0, 10);
  if (spanMs > 86_400_000) return `${iso.slice(5, 10)} ${iso.slice(11, 16)}`;
  return bucketMs < 60_000 ? iso.slice(11, 19) : iso.slice(11, 16);
}

export function timelineSvg(h: Histogram, label: string): SafeHtml {
  if (!h.start || !h.end || !h.counts.length) return html`<p class="muted">No timestamps to chart${h.column ? html` in <code>${h.column}</code>` : ''}.</p>`;
  // A handful of bars (all rows within a second, say) would each fill a wide slice: pad the axis with
  // empty buckets around them so a bar stays a bar and the reader sees the moment, not a wall.
  const pad = Math.max(0, MIN_SLOTS - h.counts.length);
  const counts = [...new Array<number>(Math.floor(pad / 2)).fill(0), ...h.counts, ...new Array<number>(Math.ceil(pad / 2)).fill(0)];
  const start = Date.parse(h.start) - Math.floor(pad / 2) * h.bucketMs;
  const span = counts.length * h.bucketMs;
  const max = niceMax(Math.max(...counts));
  const plotW = W - PAD.left - PAD.right;
  const plotH = H - PAD.top - PAD.bottom;
  const slot = plotW / counts.length;
  const gap = slot > 6 ? Math.min(2, slot * 0.15) : 0;
  const y = (n: number) => PAD.top + plotH - (n / max) * plotH;
  const total = counts.reduce((a, b) => a + b, 0);

  const grid = [0, 0.25, 0.5, 0.75, 1].map((f) => {
    const v = max * f;
    const gy = y(v).toFixed(1);
    return html`<line x1="${PAD.left}" y1="${gy}" x2="${W - PAD.right}" y2="${gy}" stroke="#e2e8f0" stroke-width="1"/><text x="${PAD.left - 8}" y="${(Number(gy) + 4).toFixed(1)}" text-anchor="end" font-size="11" fill="#64748b">${Number.isInteger(v) ? formatCount(v) : ''}</text>`;
  });
  const bars = counts.map((n, i) => {
    if (n === 0) return '';
    const x = PAD.left + i * slot + gap / 2;
    const top = y(n);
    const from = new Date(start + i * h.bucketMs).toISOString();
    return html`<rect class="bar" x="${x.toFixed(2)}" y="${top.toFixed(2)}" width="${Math.max(1, slot - gap).toFixed(2)}" height="${Math.max(1, PAD.top + plotH - top).toFixed(2)}" fill="#2563eb" rx="1"><title>${formatTime(from)}: ${formatCount(n)}</title></rect>`;
  });
  const step = Math.max(1, Math.ceil(counts.length / 6));
  const ticks = [];
  // Ticks on round times (whole hours for 10-minute bars), wherever the first bar starts.
  const first = (((-Math.round(start / h.bucketMs)) % step) + step) % step;
  for (let k = first; k <= counts.length; k += step) {
    const x = PAD.left + k * slot;
    const anchor = k === 0 ? 'start' : k + step > counts.length && k === counts.length ? 'end' : 'middle';
    ticks.push(html`<line x1="${x.toFixed(1)}" y1="${PAD.top + plotH}" x2="${x.toFixed(1)}" y2="${PAD.top + plotH + 5}" stroke="#94a3b8" stroke-width="1"/><text x="${x.toFixed(1)}" y="${H - PAD.bottom + 19}" text-anchor="${anchor}" font-size="11" fill="#64748b">${tickLabel(start + k * h.bucketMs, h.bucketMs, span)}</text>`);
  }
  const caption = `${label} per ${formatSpan(h.bucketMs)} (UTC): ${formatCount(total)} from ${formatTime(h.start)} to ${formatTime(h.end)}`;
  return html`<figure class="timeline">
<svg class="timeline-chart" viewBox="0 0 ${W} ${H}" width="100%" role="img" aria-label="${caption}" xmlns="http://www.w3.org/2000/svg">
${grid}
<line x1="${PAD.left}" y1="${PAD.top + plotH}" x2="${W - PAD.right}" y2="${PAD.top + plotH}" stroke="#94a3b8" stroke-width="1"/>
${bars}
${ticks}
</svg>
<figcaption>${caption}</figcaption>
</figure>`;
}

/** A small horizontal bar for a share (0..1) inside a table cell. */
export function shareBar(share: number, colour = '#2563eb'): SafeHtml {
  const w = Math.max(0, Math.min(1, share)) * 100;
  return html`<svg class="share" viewBox="0 0 100 8" width="100" height="8" aria-hidden="true" xmlns="http://www.w3.org/2000/svg"><rect x="0" y="0" width="100" height="8" rx="2" fill="#e2e8f0"/><rect x="0" y="0" width="${w.toFixed(1)}" height="8" rx="2" fill="${colour}"/></svg>`;
}
