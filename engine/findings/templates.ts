import type { Finding } from './types.js';
import type { FindingMessage } from '../../connectors/sinks/types.js';

/**
 * Title and description templates. A sink may set its own
 * (`titleTemplate`, `descriptionTemplate`); placeholders are `{{name}}`.
 */

export const templatePlaceholders = [
  'hunt', 'severity', 'entities', 'count', 'rows', 'firstSeen', 'lastSeen', 'verdicts',
  'tactics', 'techniques', 'reportLink', 'status', 'findingId', 'dedupKey',
] as const;
export type TemplatePlaceholder = (typeof templatePlaceholders)[number];

export const defaultTitleTemplate = '[Quarry] {{severity}}: {{hunt}}{{entitiesSuffix}}';
export const defaultDescriptionTemplate = [
  'Quarry finding {{findingId}} from the hunt "{{hunt}}".',
  'Severity: {{severity}}',
  'Entities: {{entities}}',
  'Seen: {{count}} time(s), {{rows}} row(s); first {{firstSeen}}, last {{lastSeen}}',
  'Threat intel: {{verdicts}}',
  'ATT&CK tactics: {{tactics}}',
  'ATT&CK techniques: {{techniques}}',
  'Report: {{reportLink}}',
].join('\n');

const PLACEHOLDER = /\{\{\s*([A-Za-z]+)\s*\}\}/g;

/** Placeholders a template names that do not exist (so a typo is caught when the sink is saved, not in a ticket). */
export function unknownPlaceholders(template: string): string[] {
  const known = new Set<string>([...templatePlaceholders, 'entitiesSuffix']);
  return [...template.matchAll(PLACEHOLDER)].map((m) => m[1]!).filter((name) => !known.has(name));
}

export function renderTemplate(template: string, values: Record<string, string>): string {
  return template.replace(PLACEHOLDER, (whole, name: string) => values[name] ?? whole);
}

export const findingReportLink = (findingId: number, linkTemplate?: string): string =>
  linkTemplate ? linkTemplate.replaceAll('{{findingId}}', String(findingId)) : `quarry://findings/${findingId}`;

export function templateValues(f: Finding, reportLink: string): Record<string, string> {
  const entities = f.entities.map((e) => `${e.column}=${e.value}`).join(', ');
  return {
    hunt: f.huntName,
    severity: f.severity,
    entities: entities || '(none)',
    entitiesSuffix: entities ? ` (${entities})` : '',
    count: String(f.hitCount),
    rows: String(f.rowCount),
    firstSeen: f.firstSeen,
    lastSeen: f.lastSeen,
    verdicts: f.verdict ?? 'not looked up',
    tactics: f.tactics.join(', ') || '(none)',
    techniques: f.techniques.join(', ') || '(none)',
    reportLink,
    status: f.status,
    findingId: String(f.id),
    dedupKey: f.dedupKey,
  };
}

export interface MessageTemplates {
  titleTemplate?: string;
  descriptionTemplate?: string;
  reportLinkTemplate?: string;
}

/** The finding as one sink will show it, with that sink's templates applied. */
export function buildFindingMessage(f: Finding, templates: MessageTemplates, closeNotes: string | null): FindingMessage {
  const reportLink = findingReportLink(f.id, templates.reportLinkTemplate);
  const values = templateValues(f, reportLink);
  return {
    findingId: f.id,
    correlationId: f.correlationId,
    dedupKey: f.dedupKey,
    title: renderTemplate(templates.titleTemplate ?? defaultTitleTemplate, values).replace(/\s+/g, ' ').trim(),
    description: renderTemplate(templates.descriptionTemplate ?? defaultDescriptionTemplate, values),
    severity: f.severity,
    status: f.status,
    hunt: f.huntName,
    entities: f.entities.map((e) => ({ name: e.column, value: e.value })),
    count: f.hitCount,
    rows: f.rowCount,
    firstSeen: f.firstSeen,
    lastSeen: f.lastSeen,
    verdict: f.verdict,
    tactics: f.tactics,
    techniques: f.techniques,
    reportLink,
    closeNotes,
  };
}
