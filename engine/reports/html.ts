import { createHash } from 'node:crypto';
import type { ReportModel, RunSection } from './model.js';
import { html, trusted, type SafeHtml } from './html-escape.js';
import { reportCss } from './html-style.js';
import { formatTime } from './format.js';
import { timelineSvg } from './svg.js';
import {
  attackBlock, entitiesBlock, findingsBlock, huntsTable, indicatorsBlock, runDetails, runsTable, sampleBlock, timelineBlock,
} from './html-sections.js';

/**
 * The hunt report as one self-contained HTML file: inline CSS, SVG charts,
 * no script, and a CSP that forbids every fetch, so it opens offline and
 * nothing in it (results are attacker-controlled) can run or phone home.
 */

const cssHash = createHash('sha256').update(reportCss).digest('base64');

export const reportCsp = [
  "default-src 'none'",
  "script-src 'none'",
  `style-src 'sha256-${cssHash}'`,
  "img-src 'none'",
  "font-src 'none'",
  "connect-src 'none'",
  "base-uri 'none'",
  "form-action 'none'",
].join('; ');

function section(n: number, title: string, body: SafeHtml, id: string): SafeHtml {
  return html`<section class="card" id="${id}"><h2><span class="num">${n}</span>${title}</h2>${body}</section>`;
}

function numbered(parts: Array<[string, string, SafeHtml]>): SafeHtml[] {
  return parts.map(([id, title, body], i) => section(i + 1, title, body, id));
}

function runReport(m: ReportModel, s: RunSection): SafeHtml[] {
  return numbered([
    ['summary', 'Summary', summary(m)],
    ['hunt', 'Hunt and query', runDetails(s, false)],
    ['timeline', 'Timeline', timelineBlock(s)],
    ['entities', 'Top entities', entitiesBlock(s.entities)],
    ['indicators', 'Indicators and threat intelligence', indicatorsBlock(m.indicators, false)],
    ['findings', 'Findings and tickets', findingsBlock(m.findings)],
    ['attack', 'MITRE ATT&CK', attackBlock(m)],
    ['rows', 'Result sample', sampleBlock(s)],
  ]);
}

function findingReport(m: ReportModel): SafeHtml[] {
  const runs = m.sections.map((s) => html`${runDetails(s, true)}<h3>Timeline</h3>${timelineBlock(s)}<h3>Top entities</h3>${entitiesBlock(s.entities)}<h3>Result sample</h3>${sampleBlock(s)}`);
  const shown = m.sections.length < m.runs.length ? html`<p class="muted">The latest ${m.sections.length} of ${m.runs.length} runs in detail.</p>` : '';
  const timeline: Array<[string, string, SafeHtml]> = m.overallTimeline ? [['timeline', 'Rows found per run', timelineSvg(m.overallTimeline, 'Rows found by run start')]] : [];
  return numbered([
    ['summary', 'Summary', summary(m)],
    ['finding', 'Finding and tickets', findingsBlock(m.findings)],
    ...timeline,
    ['runs', 'Runs', html`${runsTable(m.runs)}${shown}${runs}`],
    ['indicators', 'Indicators and threat intelligence', indicatorsBlock(m.indicators, true)],
    ['attack', 'MITRE ATT&CK', attackBlock(m)],
  ]);
}

function rangeReport(m: ReportModel): SafeHtml[] {
  return numbered([
    ['summary', 'Summary', summary(m)],
    ['timeline', 'Rows found over the period', m.overallTimeline ? timelineSvg(m.overallTimeline, 'Rows found by run start') : html``],
    ['hunts', 'Hunts', huntsTable(m)],
    ['indicators', 'Indicators and threat intelligence', indicatorsBlock(m.indicators, true)],
    ['findings', 'Findings and tickets', findingsBlock(m.findings)],
    ['attack', 'MITRE ATT&CK', attackBlock(m)],
    ['runs', 'Runs', runsTable(m.runs)],
  ]);
}

const summary = (m: ReportModel): SafeHtml => html`<div class="summary">${m.summary.map((p) => html`<p>${p}</p>`)}</div>`;

export function renderHtml(m: ReportModel): string {
  const body = m.target.kind === 'run' ? runReport(m, m.sections[0]!) : m.target.kind === 'finding' ? findingReport(m) : rangeReport(m);
  const kind = m.target.kind === 'run' ? 'Hunt report' : m.target.kind === 'finding' ? 'Finding report' : 'Period report';
  const alert = (label: string) => /malicious|flagged/i.test(label);
  const page = html`<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta http-equiv="Content-Security-Policy" content="${reportCsp}">
<meta name="referrer" content="no-referrer">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta name="generator" content="Quarry ${m.quarryVersion}">
<title>${m.title} · ${kind} · Quarry</title>
<style>${trusted(reportCss)}</style>
</head>
<body>
<header class="masthead"><div class="wrap">
<div class="top"><div class="brand">QUARRY<span>${kind}</span></div><div>Generated ${formatTime(m.generatedAt)}</div></div>
<h1>${m.title}</h1>
<p class="subtitle">${m.subtitle}</p>
<div class="badges">${m.severity ? html`<span class="badge sev-${m.severity}">${m.severity} severity</span>` : ''}${m.attack.tactics.slice(0, 4).map((t) => html`<span class="badge">${t.name}</span>`)}</div>
</div></header>
<main class="wrap">
<div class="facts">${m.facts.map((f) => html`<div class="fact${alert(f.label) && f.value !== '0' ? ' alert' : ''}"><div class="value">${f.value}</div><div class="label">${f.label}</div></div>`)}</div>
${body}
</main>
<footer><div class="wrap"><div class="foot"><span>Quarry ${m.quarryVersion} · ${kind} generated ${formatTime(m.generatedAt)}</span><span>Contains hunt results: handle under your organisation’s data policy.</span></div></div></footer>
</body>
</html>
`;
  return page.value;
}
