import type { ReportFinding } from './extras.js';
import type { ReportIndicatorSeen, ReportModel, RunLine, RunSection, TopEntities } from './model.js';
import { html, type SafeHtml } from './html-escape.js';
import { displayText, formatCount, formatDuration, formatTime, plural, webLink } from './format.js';
import { shareBar, timelineSvg } from './svg.js';
import { attackTactic, attackTechnique } from './attack.js';

/** The report's parts as HTML; every value goes through the escaping `html` tag. */

const link = (url: string | null | undefined, text: string): SafeHtml => {
  const href = webLink(url);
  return href ? html`<a href="${href}" rel="noopener noreferrer" target="_blank">${text}</a>` : html`${text}`;
};

export const verdictPill = (v: string): SafeHtml => html`<span class="v v-${v}">${v}</span>`;

const statusText = (status: string): SafeHtml => html`<span class="status-${status}">${status}</span>`;

function paramValue(v: unknown): string {
  return v === null || v === undefined ? '—' : typeof v === 'object' ? JSON.stringify(v) : String(v);
}

const LIST_LINE = /^\s*([-*•]|\d+[.)])\s/;

/**
 * Hunt text as people write it in YAML, hard-wrapped at 70-odd columns: a
 * blank line starts a paragraph, a list line keeps its line break, and any
 * other break is a space (as Markdown reads it), so the text fills the page.
 */
export function prose(text: string): SafeHtml {
  const paragraphs = text.trim().split(/\r?\n\s*\r?\n/);
  return html`<div class="description">${paragraphs.map((p) => {
    const lines = p.split(/\r?\n/).map((l) => l.trim()).filter(Boolean);
    return html`<p>${lines.map((l, i) => (i === 0 ? l : LIST_LINE.test(l) ? html`<br>${l}` : ` ${l}`))}</p>`;
  })}</div>`;
}

/** A run's hunt, parameters and query; `titled` adds a heading naming the run (for reports with several). */
export function runDetails(s: RunSection, titled: boolean): SafeHtml {
  const r = s.run;
  const params = Object.entries(r.parameters);
  const defs = new Map((s.hunt?.parameters ?? []).map((p) => [p.name, p]));
  const window = r.windowStart && r.windowEnd ? `${formatTime(r.windowStart)} to ${formatTime(r.windowEnd)}` : 'not set (the query’s own time filter applies)';
  const heading = titled ? html`<h3 class="run-title">Run #${r.id}: ${r.huntName}</h3>` : '';
  return html`${heading}
${s.hunt?.description ? prose(s.hunt.description) : html`<p class="muted">${s.hunt ? 'The hunt has no description.' : 'The hunt has been deleted from the library since this run.'}</p>`}
<dl class="meta">
<dt>Run</dt><dd>#${r.id} · ${statusText(r.status)}${r.error ? html` · ${r.error}` : ''}</dd>
<dt>Started</dt><dd>${formatTime(r.startedAt)} (${formatDuration(r.durationMs)})</dd>
<dt>Connection</dt><dd>${r.connection} · ${r.language.toUpperCase()}</dd>
<dt>Time window</dt><dd>${window}</dd>
<dt>Events returned</dt><dd>${s.firstEvent ? `${formatTime(s.firstEvent)} to ${formatTime(s.lastEvent)}` : '—'}</dd>
<dt>Rows</dt><dd>${formatCount(r.rowCount)} in ${plural(s.columns.length, 'column')}</dd>
${s.hunt?.tags.length ? html`<dt>Tags</dt><dd><span class="tags">${s.hunt.tags.map((t) => html`<span class="tag">${t}</span>`)}</span></dd>` : ''}
${r.warnings.length ? html`<dt>Warnings</dt><dd>${r.warnings.join('; ')}</dd>` : ''}
</dl>
${params.length ? html`<h3>Parameters</h3><table><thead><tr><th>Name</th><th>Value</th><th>Type</th><th>Description</th></tr></thead><tbody>
${params.map(([k, v]) => html`<tr><td class="mono">${k}</td><td class="mono">${displayText(paramValue(v))}</td><td>${defs.get(k)?.type ?? ''}</td><td>${defs.get(k)?.description ?? ''}</td></tr>`)}
</tbody></table>` : ''}
<h3>Query</h3>
<pre class="query">${r.query}</pre>`;
}

export function entitiesBlock(list: TopEntities[]): SafeHtml {
  if (!list.length) return html`<p class="muted">No column with repeated values to rank.</p>`;
  return html`<div class="entities">${list.map((e) => html`<div class="entity">
<h4><code>${e.column}</code>${e.entityType ? html`<span class="type">${e.entityType}</span>` : ''}</h4>
<p class="muted">${plural(e.distinct, 'distinct value')} in ${plural(e.rowsWithValue, 'row')}</p>
<table><tbody>${e.top.map((t) => html`<tr><td class="mono">${displayText(t.value, 120)}</td><td class="num">${formatCount(t.count)}</td><td>${shareBar(e.rowsWithValue ? t.count / e.rowsWithValue : 0)}</td></tr>`)}</tbody></table>
</div>`)}</div>`;
}

export function sampleBlock(s: RunSection): SafeHtml {
  const { sample } = s;
  if (!s.hasResults) return html`<p class="muted">This run has no stored results.</p>`;
  if (!sample.rows.length) return html`<p class="muted">The run returned no rows.</p>`;
  const note = `The first ${plural(sample.rows.length, 'row')} of ${formatCount(s.run.rowCount)}`
    + (sample.hiddenColumns ? `, first ${formatCount(sample.columns.length)} of ${formatCount(s.columns.length)} columns` : '')
    + '. Every row and column is in the CSV, JSON and Timesketch exports.';
  return html`<p class="muted">${note}</p><div class="scroll"><table class="rows"><thead><tr>${sample.columns.map((c) => html`<th>${c.name}</th>`)}</tr></thead>
<tbody>${sample.rows.map((r) => html`<tr>${r.map((cell) => (cell.length <= 24 ? html`<td class="nowrap">${cell}</td>` : html`<td>${cell}</td>`))}</tr>`)}</tbody></table></div>`;
}

export function timelineBlock(s: RunSection): SafeHtml {
  if (!s.hasResults) return html`<p class="muted">No results, no timeline.</p>`;
  if (s.timeline.column === null) return html`<p class="muted">The result has no datetime column to chart.</p>`;
  return timelineSvg(s.timeline, `Rows by ${s.timeline.column}`);
}

export function indicatorsBlock(list: ReportIndicatorSeen[], showRuns: boolean): SafeHtml {
  if (!list.length) return html`<p class="muted">No indicators were extracted from these results, or the run was not enriched.</p>`;
  return html`<div class="scroll"><table><thead><tr><th>Verdict</th><th>Type</th><th>Indicator</th><th class="num">Rows</th>${showRuns ? html`<th>Runs</th>` : ''}<th>Threat intelligence</th></tr></thead><tbody>
${list.map((i) => html`<tr><td>${verdictPill(i.verdict)}</td><td class="nowrap">${i.type}</td><td class="mono">${displayText(i.value, 200)}</td><td class="num">${formatCount(i.rowCount)}</td>${showRuns ? html`<td>${i.runIds.map((id) => `#${id}`).join(' ')}</td>` : ''}
<td>${i.skipReason ? html`<span class="muted">not looked up (${i.skipReason === 'non_public' ? 'private or reserved' : 'allowlisted'})</span>` : i.providers.length
  ? html`<ul class="providers">${i.providers.map((p) => html`<li>${link(p.link, p.name)}: ${verdictPill(p.verdict)}${p.score !== null ? html` <span class="muted">score ${p.score}</span>` : ''}</li>`)}</ul>`
  : html`<span class="muted">no answer yet</span>`}</td></tr>`)}
</tbody></table></div>`;
}

export function findingsBlock(list: ReportFinding[]): SafeHtml {
  if (!list.length) return html`<p class="muted">No findings.</p>`;
  return html`<div class="scroll"><table><thead><tr><th>Finding</th><th>Severity</th><th>Status</th><th class="num">Seen</th><th>First / last seen</th><th>Tickets</th></tr></thead><tbody>
${list.map((f) => html`<tr><td>${f.title}<br><span class="muted mono">${f.dedupKey}</span></td><td class="nowrap">${f.severity}</td><td class="nowrap">${f.status}</td><td class="num">${formatCount(f.count)}</td>
<td class="nowrap">${formatTime(f.firstSeen)}<br>${formatTime(f.lastSeen)}</td>
<td>${f.tickets.length ? html`<ul class="providers">${f.tickets.map((t) => html`<li>${t.sink}: ${link(t.url, t.key ?? t.url ?? 'ticket')}</li>`)}</ul>` : html`<span class="muted">none</span>`}</td></tr>`)}
</tbody></table></div>`;
}

export function attackBlock(m: ReportModel): SafeHtml {
  const { tactics, techniques } = m.attack;
  if (!tactics.length && !techniques.length) return html`<p class="muted">The hunts name no ATT&amp;CK tactics or techniques.</p>`;
  return html`${tactics.length ? html`<h3>Tactics</h3><ul class="attack">${tactics.map((t) => html`<li><span class="id">${t.id ?? '—'}</span>${t.name}${t.url ? html`<br>${link(t.url, t.url)}` : ''}</li>`)}</ul>` : ''}
${techniques.length ? html`<h3>Techniques</h3><ul class="attack">${techniques.map((t) => html`<li><span class="id">${t.id}</span>${link(t.url, t.url)}</li>`)}</ul>` : ''}`;
}

export function runsTable(runs: RunLine[]): SafeHtml {
  if (!runs.length) return html`<p class="muted">No runs.</p>`;
  return html`<div class="scroll"><table><thead><tr><th class="num">Run</th><th>Hunt</th><th>Started</th><th>Status</th><th>Connection</th><th class="num">Rows</th></tr></thead><tbody>
${runs.map((r) => html`<tr><td class="num">#${r.id}</td><td>${r.huntName}</td><td class="nowrap">${formatTime(r.startedAt)}</td><td>${statusText(r.status)}</td><td>${r.connection}</td><td class="num">${formatCount(r.rowCount)}</td></tr>`)}
</tbody></table></div>`;
}

export function huntsTable(m: ReportModel): SafeHtml {
  const byHunt = new Map<string, { runs: number; rows: number; hits: number; last: string }>();
  for (const r of m.runs) {
    const h = byHunt.get(r.huntName) ?? { runs: 0, rows: 0, hits: 0, last: r.startedAt };
    h.runs++;
    h.rows += r.rowCount;
    if (r.rowCount > 0) h.hits++;
    if (r.startedAt > h.last) h.last = r.startedAt;
    byHunt.set(r.huntName, h);
  }
  const info = new Map(m.hunts.map((h) => [h.name, h]));
  if (!byHunt.size) return html`<p class="muted">No hunts ran in this period.</p>`;
  return html`<div class="scroll"><table><thead><tr><th>Hunt</th><th>Severity</th><th>ATT&amp;CK</th><th class="num">Runs</th><th class="num">Runs with rows</th><th class="num">Rows</th><th>Last run</th></tr></thead><tbody>
${[...byHunt].map(([name, h]) => {
    const hunt = info.get(name);
    const attack = [...(hunt?.tactics ?? []).map((t) => attackTactic(t).name), ...(hunt?.techniques ?? []).flatMap((t) => attackTechnique(t)?.id ?? [])];
    return html`<tr><td>${name}</td><td>${hunt?.severity ?? '—'}</td><td>${attack.join(', ')}</td><td class="num">${formatCount(h.runs)}</td><td class="num">${formatCount(h.hits)}</td><td class="num">${formatCount(h.rows)}</td><td class="nowrap">${formatTime(h.last)}</td></tr>`;
  })}
</tbody></table></div>`;
}
