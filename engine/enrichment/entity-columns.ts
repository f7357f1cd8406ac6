import type { EntityMapping, ResultColumn } from '../types.js';
import type { IndicatorType } from './indicator.js';

/**
 * Which indicator types a Sentinel entity mapping promises in a column.
 * Entities that hold no indicator (Process, File, RegistryKey, ...) give
 * nothing here, so their columns are scanned as free text like any other:
 * a command line is exactly where URLs hide.
 */

const IP: IndicatorType[] = ['ipv4', 'ipv6'];
const HASH: IndicatorType[] = ['md5', 'sha1', 'sha256'];

/** entityType -> identifier -> types; identifiers not listed hold no indicator (Account Name, Host NetBiosName). */
const ENTITY_IDENTIFIERS: Record<string, Record<string, IndicatorType[]>> = {
  ip: { address: IP },
  url: { url: ['url', 'domain', ...IP] },
  dns: { domainname: ['domain'], ipaddresses: IP, dnsserverip: IP, hostipaddress: IP },
  host: { fullname: ['domain'], dnsdomain: ['domain'] },
  filehash: { value: HASH },
  mailbox: { mailboxprimaryaddress: ['email'], upn: ['email'] },
  account: { fullname: ['email'], upnsuffix: ['domain'], aaduserid: [], name: [] },
  mailmessage: { sender: ['email'], p1sender: ['email'], p2sender: ['email'], recipient: ['email'], senderip: IP, urls: ['url', 'domain'] },
};

export interface ColumnPlan {
  /** Column index in the run's result. */
  index: number;
  name: string;
  /** Indicator types an entity mapping promises, or null for free-text scanning. */
  types: ReadonlySet<IndicatorType> | null;
}

/** Value types that can carry text; numbers, booleans and dates never hold an indicator. */
const TEXT_TYPES = new Set(['string', 'dynamic']);

/**
 * How each column of a result is read: typed where an entity mapping says so,
 * free text for the other text columns, skipped otherwise. A column mapped
 * twice gets the union of its types.
 */
export function planColumns(columns: ResultColumn[], mappings: EntityMapping[]): ColumnPlan[] {
  const typed = new Map<string, Set<IndicatorType>>();
  for (const m of mappings) {
    const identifiers = ENTITY_IDENTIFIERS[m.entityType.toLowerCase()];
    if (!identifiers) continue;
    for (const f of m.fieldMappings) {
      const types = identifiers[f.identifier.toLowerCase()];
      if (types === undefined) continue;
      const set = typed.get(f.columnName) ?? new Set<IndicatorType>();
      for (const t of types) set.add(t);
      typed.set(f.columnName, set);
    }
  }
  const plans: ColumnPlan[] = [];
  columns.forEach((c, index) => {
    const types = typed.get(c.name);
    // An identifier mapped to no indicator type (Account Name) marks the column as known-not-indicator.
    if (types && types.size === 0) return;
    if (types) plans.push({ index, name: c.name, types });
    else if (TEXT_TYPES.has(c.type)) plans.push({ index, name: c.name, types: null });
  });
  return plans;
}
