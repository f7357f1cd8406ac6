import type { ReportFact, ReportModel } from './model.js';
import { formatCount, formatDuration, formatTime, plural } from './format.js';

/**
 * The words at the top of a report: its title, subtitle, headline figures and
 * a few plain sentences a manager can read without the tables.
 */
export function describeReport(m: ReportModel): Pick<ReportModel, 'title' | 'subtitle' | 'facts' | 'summary'> {
  const flagged = m.verdictCounts.malicious + m.verdictCounts.suspicious;
  const tickets = m.findings.reduce((n, f) => n + f.tickets.length, 0);
  const intel = indicatorSentence(m);
  const withTickets = tickets ? `, with ${plural(tickets, 'ticket')}` : '';
  const findings = !m.findings.length
    ? 'No finding was raised.'
    : m.target.kind === 'run'
      ? `The run raised or updated ${plural(m.findings.length, 'finding')}${withTickets}.`
      : `${plural(m.findings.length, 'finding')} ${m.findings.length === 1 ? 'was' : 'were'} seen in this period${withTickets}.`;
  const rows = m.runs.reduce((n, r) => n + r.rowCount, 0);

  if (m.target.kind === 'run') {
    const s = m.sections[0]!;
    const r = s.run;
    const window = r.windowStart && r.windowEnd ? ` for the window ${formatTime(r.windowStart)} to ${formatTime(r.windowEnd)}` : '';
    const ran = r.status === 'succeeded'
      ? `Hunt “${r.huntName}” ran on ${formatTime(r.startedAt)} against ${r.connection}${window} and returned ${plural(r.rowCount, 'row')}`
        + (s.firstEvent && s.lastEvent ? ` with events from ${formatTime(s.firstEvent)} to ${formatTime(s.lastEvent)}.` : '.')
      : `Hunt “${r.huntName}” ran on ${formatTime(r.startedAt)} against ${r.connection} and ${r.status}${r.error ? `: ${r.error}` : '.'}`;
    const facts: ReportFact[] = [
      { label: 'Rows', value: formatCount(r.rowCount) },
      { label: 'Malicious indicators', value: formatCount(m.verdictCounts.malicious) },
      { label: 'Suspicious indicators', value: formatCount(m.verdictCounts.suspicious) },
      { label: 'Findings', value: formatCount(m.findings.length) },
      { label: 'Duration', value: formatDuration(r.durationMs) },
    ];
    return { title: r.huntName, subtitle: `Run #${r.id} · ${r.status} · ${formatTime(r.startedAt)}`, facts, summary: [ran, intel, findings] };
  }

  if (m.target.kind === 'finding') {
    const f = m.finding!;
    const seen = `Finding “${f.title}” (${f.severity}, ${f.status}) was seen ${plural(f.count, 'time')} between ${formatTime(f.firstSeen)} and ${formatTime(f.lastSeen)}, in ${plural(m.runs.length, 'run')} returning ${plural(rows, 'row')} in all.`;
    const ticketSentence = tickets
      ? `Tickets: ${f.tickets.map((t) => `${t.key ?? t.url ?? '?'} (${t.sink})`).join(', ')}.`
      : 'No ticket has been created for it yet.';
    const facts: ReportFact[] = [
      { label: 'Occurrences', value: formatCount(f.count) },
      { label: 'Runs', value: formatCount(m.runs.length) },
      { label: 'Malicious indicators', value: formatCount(m.verdictCounts.malicious) },
      { label: 'Tickets', value: formatCount(tickets) },
    ];
    return { title: f.title, subtitle: `Finding ${f.id} · ${f.status} · last seen ${formatTime(f.lastSeen)}`, facts, summary: [seen, intel, ticketSentence] };
  }

  const failed = m.runs.filter((r) => r.status !== 'succeeded').length;
  const from = formatTime(m.target.from);
  const to = formatTime(m.target.to);
  const hits = m.runs.filter((r) => r.rowCount > 0).length;
  const ran = m.runs.length
    ? `${plural(m.runs.length, 'run')} of ${plural(new Set(m.runs.map((r) => r.huntName)).size, 'hunt')} started between ${from} and ${to}; ${plural(hits, 'run')} returned rows (${plural(rows, 'row')} in all)${failed ? ` and ${formatCount(failed)} did not succeed` : ''}.`
    : `No hunt ran between ${from} and ${to}.`;
  const facts: ReportFact[] = [
    { label: 'Runs', value: formatCount(m.runs.length) },
    { label: 'Rows found', value: formatCount(rows) },
    { label: 'Flagged indicators', value: formatCount(flagged) },
    { label: 'Findings', value: formatCount(m.findings.length) },
  ];
  return { title: 'Threat hunting report', subtitle: `${from} to ${to}`, facts, summary: [ran, intel, findings] };
}

function indicatorSentence(m: ReportModel): string {
  const total = m.indicators.length;
  if (!total) return 'No indicator (IP address, domain, URL, hash or mail address) was extracted or enriched.';
  const { malicious, suspicious } = m.verdictCounts;
  const verdicts = malicious + suspicious
    ? `threat intelligence judged ${formatCount(malicious)} malicious and ${formatCount(suspicious)} suspicious`
    : 'threat intelligence flagged none of them';
  return `${plural(total, 'indicator')} appeared in the results; ${verdicts}.`;
}
