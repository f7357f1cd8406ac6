import type { FindingMessage } from './types.js';

/** The name/value pairs chat messages show under the title (Slack fields, Teams FactSet). */
export function findingFacts(f: FindingMessage): Array<{ name: string; value: string }> {
  const facts = [
    { name: 'Severity', value: f.severity },
    { name: 'Hunt', value: f.hunt },
    { name: 'Entities', value: f.entities.map((e) => `${e.name}=${e.value}`).join(', ') || '(none)' },
    { name: 'Seen', value: `${f.count} time(s), ${f.rows} row(s)` },
    { name: 'First seen', value: f.firstSeen },
    { name: 'Last seen', value: f.lastSeen },
  ];
  if (f.verdict) facts.push({ name: 'Threat intel', value: f.verdict });
  if (f.tactics.length || f.techniques.length) facts.push({ name: 'ATT&CK', value: [...f.tactics, ...f.techniques].join(', ') });
  return facts;
}

/** Whether a chat message is about a new finding or one seen again. */
export const chatHeadline = (f: FindingMessage, rehit: boolean): string => (rehit ? `Seen again (${f.count}x): ${f.title}` : f.title);

export const isWebLink = (link: string): boolean => /^https?:\/\//.test(link);
