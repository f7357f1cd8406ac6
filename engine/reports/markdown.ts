import type { ReportFinding } from './extras.js';
import type { ReportIndicatorSeen, ReportModel, RunSection } from './model.js';
import { displayText, formatCount, formatDuration, formatTime, webLink } from './format.js';

/**
 * The report as CommonMark/GFM, for the UI, chat and ticket bodies (findings
 * use `renderMarkdown(buildReport(...), { ticket: true })`). Result data is
 * attacker-controlled: prose is backslash-escaped and values go in code spans,
 * so nothing in a cell becomes a link, an image, HTML or a table break.
 */

export interface MarkdownOptions {
  /** Shorter, for a ticket body: no result sample, fewer indicators. */
  ticket?: boolean;
  maxIndicators?: number;
}

/**
 * Prose on one line: inline markup characters escaped, a leading block marker
 * (heading, list, quote) escaped, and URL schemes broken so that nothing
 * turns into a link on its own.
 */
export function mdText(s: string): string {
  return displayText(s, 2000)
    .replace(/\s*[\r\n]+\s*/g, ' ')
    .replace(/[\\`*_[\]<>|~&]/g, (c) => `\\${c}`)
    .replace(/^(\s*)([#>=+-]|\d+[.)])/, (_m, sp: string, marker: string) => `${sp}${marker.replace(/([#>=+.)-])/, '\\$1')}`)
    .replace(/\b(https?|ftp|mailto|file|javascript)(:)/gi, '$1\\:')
    .replace(/\b(www)\./gi, '$1\\.');
}

/** A value as a code span: the fence is longer than any backtick run inside, and pipes are escaped for tables. */
export function mdCode(s: string, max = 200): string {
  const text = displayText(s, max).replace(/\r?\n|\r/g, ' ');
  const longest = Math.max(0, ...(text.match(/`+/g) ?? []).map((r) => r.length));
  const fence = '`'.repeat(longest + 1);
  const pad = text.startsWith('`') || text.endsWith('`') || /^ .* $/.test(text) ? ' ' : '';
  return `${fence}${pad}${text.replaceAll('|', '\\|')}${pad}${fence}`;
}

const mdLink = (url: string | null, text: string): string => {
  const href = webLink(url);
  return href ? `[${mdText(text)}](<${href}>)` : mdText(text);
};

const table = (headers: string[], rows: string[][]): string =>
  [`| ${headers.join(' | ')} |`, `| ${headers.map(() => '---').join(' | ')} |`, ...rows.map((r) => `| ${r.join(' | ')} |`)].join('\n');

function codeBlock(text: string, lang: string): string {
  const longest = Math.max(2, ...(text.match(/`{3,}/g) ?? []).map((r) => r.length));
  const fence = '`'.repeat(longest + 1);
  return `${fence}${lang}\n${text.replace(/\r\n?/g, '\n')}\n${fence}`;
}

function runPart(s: RunSection, opts: MarkdownOptions, level: string): string[] {
  const r = s.run;
  const out: string[] = [`${level} ${s.hunt ? 'Hunt' : 'Run'}: ${mdText(r.huntName)} (run #${r.id})`];
  if (s.hunt?.description) out.push(mdText(s.hunt.description));
  const params = Object.entries(r.parameters).map(([k, v]) => `${mdCode(k)} = ${mdCode(typeof v === 'object' ? JSON.stringify(v) : String(v))}`);
  out.push([
    `- **Status:** ${r.status}${r.error ? ` (${mdText(r.error)})` : ''}`,
    `- **Started:** ${formatTime(r.startedAt)} (${formatDuration(r.durationMs)})`,
    `- **Connection:** ${mdText(r.connection)} (${r.language.toUpperCase()})`,
    `- **Time window:** ${r.windowStart && r.windowEnd ? `${formatTime(r.windowStart)} to ${formatTime(r.windowEnd)}` : 'not set'}`,
    `- **Rows:** ${formatCount(r.rowCount)}${s.firstEvent ? `, events from ${formatTime(s.firstEvent)} to ${formatTime(s.lastEvent)}` : ''}`,
    ...(params.length ? [`- **Parameters:** ${params.join(', ')}`] : []),
  ].join('\n'));
  out.push(codeBlock(r.query, r.language === 'kql' ? 'kql' : 'sql'));
  for (const e of s.entities) {
    out.push(`**Top ${mdCode(e.column)}**${e.entityType ? ` (${mdText(e.entityType)})` : ''}: ${e.top.map((t) => `${mdCode(t.value, 100)} (${formatCount(t.count)})`).join(', ')}`);
  }
  if (!opts.ticket && s.sample.rows.length) {
    out.push(`First ${formatCount(s.sample.rows.length)} of ${formatCount(r.rowCount)} rows:`);
    out.push(table(s.sample.columns.map((c) => mdCode(c.name, 60)), s.sample.rows.map((row) => row.map((c) => (c ? mdCode(c, 80) : ' ')))));
  }
  return out;
}

function indicatorsPart(list: ReportIndicatorSeen[], max: number): string[] {
  if (!list.length) return ['No indicators were extracted or enriched.'];
  const rows = list.slice(0, max).map((i) => [
    `**${i.verdict}**`, i.type, mdCode(i.value), formatCount(i.rowCount),
    i.skipReason ? `not looked up (${i.skipReason.replace('_', ' ')})` : i.providers.map((p) => `${mdLink(p.link, p.name)}: ${p.verdict}`).join(', ') || 'no answer yet',
  ]);
  const more = list.length > max ? [`…and ${formatCount(list.length - max)} more.`] : [];
  return [table(['Verdict', 'Type', 'Indicator', 'Rows', 'Threat intelligence'], rows), ...more];
}

function findingsPart(list: ReportFinding[]): string[] {
  if (!list.length) return ['No findings.'];
  return [table(['Finding', 'Severity', 'Status', 'Seen', 'Last seen', 'Tickets'], list.map((f) => [
    `${mdText(f.title)} (${mdCode(f.dedupKey, 80)})`, mdText(f.severity), mdText(f.status), formatCount(f.count), formatTime(f.lastSeen),
    f.tickets.map((t) => `${mdText(t.sink)} ${mdLink(t.url, t.key ?? t.url ?? 'ticket')}`).join(', ') || 'none',
  ]))];
}

export function renderMarkdown(m: ReportModel, opts: MarkdownOptions = {}): string {
  const out: string[] = [`# ${mdText(m.title)}`, `*${mdText(m.subtitle)}*${m.severity ? ` · **Severity: ${m.severity}**` : ''}`];
  out.push('## Summary', m.summary.map(mdText).join('\n\n'), m.facts.map((f) => `- **${mdText(f.label)}:** ${mdText(f.value)}`).join('\n'));
  if (m.target.kind !== 'run') {
    out.push('## Runs', table(['Run', 'Hunt', 'Started', 'Status', 'Rows'], m.runs.slice(0, opts.ticket ? 10 : 200).map((r) => [
      `#${r.id}`, mdText(r.huntName), formatTime(r.startedAt), r.status, formatCount(r.rowCount),
    ])));
  }
  for (const s of m.sections) out.push(...runPart(s, opts, '##'));
  out.push('## Indicators', ...indicatorsPart(m.indicators, opts.maxIndicators ?? (opts.ticket ? 15 : 200)));
  out.push('## Findings', ...findingsPart(m.findings));
  const { tactics, techniques } = m.attack;
  out.push('## MITRE ATT&CK', tactics.length || techniques.length
    ? [...tactics.map((t) => `- ${t.id ?? ''} ${mdText(t.name)}${t.url ? `: <${t.url}>` : ''}`), ...techniques.map((t) => `- ${t.id}: <${t.url}>`)].join('\n')
    : 'No tactics or techniques named.');
  out.push(`---\n*Generated by Quarry ${m.quarryVersion} on ${formatTime(m.generatedAt)}.*`);
  return `${out.join('\n\n')}\n`;
}
