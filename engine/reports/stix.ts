import { randomUUID } from 'node:crypto';
import type { ReportVerdict } from './extras.js';
import type { ReportIndicatorSeen, ReportModel } from './model.js';
import { attackTactic, attackTechnique } from './attack.js';
import { webLink } from './format.js';
import { uuidv5 } from './uuid.js';

/**
 * A report's indicators as a STIX 2.1 bundle: one `indicator` per value with
 * a STIX pattern, its verdict as the indicator type, and the hunts' ATT&CK
 * tactics and techniques as kill-chain phases and external references.
 * Indicators Quarry keeps on the machine (private addresses, allowlisted
 * names) are never exported.
 */

/** Namespace of Quarry's name-based STIX ids: the same value always gets the same indicator id. */
export const QUARRY_STIX_NAMESPACE = '91ed4f15-e206-43b9-959e-652d3c7a240a';

export const quarryIdentityId = `identity--${uuidv5('identity:Quarry', QUARRY_STIX_NAMESPACE)}`;

// A fixed date: the identity never changes, so neither do its timestamps.
const IDENTITY_CREATED = '2026-01-01T00:00:00.000Z';

export type StixObject = Record<string, unknown> & { type: string; id: string };

export interface StixBundle {
  type: 'bundle';
  id: string;
  objects: StixObject[];
}

/** STIX object path of each indicator type Quarry extracts. */
const objectPaths: Record<string, string> = {
  ipv4: 'ipv4-addr:value',
  ipv6: 'ipv6-addr:value',
  domain: 'domain-name:value',
  url: 'url:value',
  email: 'email-addr:value',
  md5: "file:hashes.'MD5'",
  sha1: "file:hashes.'SHA-1'",
  sha256: "file:hashes.'SHA-256'",
};

const typeNames: Record<string, string> = {
  ipv4: 'IPv4 address', ipv6: 'IPv6 address', domain: 'domain', url: 'URL', email: 'mail address', md5: 'MD5 hash', sha1: 'SHA-1 hash', sha256: 'SHA-256 hash',
};

/** indicator-type-ov terms. */
const indicatorTypeOf: Record<ReportVerdict, string> = {
  malicious: 'malicious-activity',
  suspicious: 'anomalous-activity',
  harmless: 'benign',
  unknown: 'unknown',
};

/** A STIX pattern string literal: quotes and backslashes escaped, as the patterning grammar requires. */
export const stixString = (s: string): string => `'${s.replaceAll('\\', '\\\\').replaceAll("'", "\\'")}'`;

export function stixPattern(type: string, value: string): string | null {
  const path = objectPaths[type];
  return path ? `[${path} = ${stixString(value)}]` : null;
}

/** STIX timestamps: UTC with exactly millisecond precision. */
const stixTime = (iso: string): string => new Date(iso).toISOString();

function indicatorObject(i: ReportIndicatorSeen, model: ReportModel): StixObject | null {
  const pattern = stixPattern(i.type, i.value);
  if (!pattern) return null;
  const created = stixTime(i.firstSeen);
  const modified = stixTime(i.lastSeen > i.firstSeen ? i.lastSeen : i.firstSeen);
  const term = indicatorTypeOf[i.verdict];
  const hunts = [...new Set(model.runs.filter((r) => i.runIds.includes(r.id)).map((r) => r.huntName))];
  const intel = i.providers.map((p) => `${p.name}: ${p.verdict}${p.score !== null ? ` (score ${p.score})` : ''}`).join('; ');
  const techniques = i.techniques.flatMap((t) => attackTechnique(t) ?? []);
  const phases = [...new Set(i.tactics.map((t) => attackTactic(t).phase).filter(Boolean))];
  const references = [
    ...techniques.map((t) => ({ source_name: 'mitre-attack', external_id: t.id, url: t.url })),
    ...i.providers.flatMap((p) => {
      const url = webLink(p.link);
      return url ? [{ source_name: p.name, url, description: `${p.name} verdict: ${p.verdict}` }] : [];
    }),
  ];
  return {
    type: 'indicator',
    spec_version: '2.1',
    id: `indicator--${uuidv5(`${i.type}:${i.value}`, QUARRY_STIX_NAMESPACE)}`,
    created_by_ref: quarryIdentityId,
    created,
    modified,
    name: `${i.verdict === 'unknown' ? '' : `${i.verdict.charAt(0).toUpperCase()}${i.verdict.slice(1)} `}${typeNames[i.type] ?? i.type} ${i.value}`.trim(),
    description: `Seen in ${i.rowCount} result row(s) of ${i.runIds.length} Quarry run(s) of ${hunts.map((h) => `"${h}"`).join(', ') || 'a hunt'}.${intel ? ` Threat intelligence: ${intel}.` : ''}`,
    indicator_types: [term],
    labels: [term],
    pattern,
    pattern_type: 'stix',
    pattern_version: '2.1',
    valid_from: created,
    ...(phases.length ? { kill_chain_phases: phases.map((phase_name) => ({ kill_chain_name: 'mitre-attack', phase_name })) } : {}),
    ...(references.length ? { external_references: references } : {}),
  };
}

export function quarryIdentity(): StixObject {
  return {
    type: 'identity',
    spec_version: '2.1',
    id: quarryIdentityId,
    created: IDENTITY_CREATED,
    modified: IDENTITY_CREATED,
    name: 'Quarry',
    description: 'Quarry threat-hunting workbench',
    identity_class: 'system',
  };
}

export interface StixExport {
  bundle: StixBundle;
  /** Indicators left out: kept on the machine (private, allowlisted) or of a type STIX patterns here do not cover. */
  skipped: number;
}

export function buildStixBundle(model: ReportModel): StixExport {
  const indicators: StixObject[] = [];
  let skipped = 0;
  for (const i of model.indicators) {
    const o = i.skipReason ? null : indicatorObject(i, model);
    if (o) indicators.push(o);
    else skipped++;
  }
  return { bundle: { type: 'bundle', id: `bundle--${randomUUID()}`, objects: [quarryIdentity(), ...indicators] }, skipped };
}
