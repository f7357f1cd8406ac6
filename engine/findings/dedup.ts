import { createHash, randomBytes } from 'node:crypto';
import type { FindingEntity } from './types.js';

/**
 * Entity values are compared case-insensitively and trimmed: accounts, hosts,
 * IPs, domains and hashes are all case-insensitive, and "ALICE@x" on one run
 * and "alice@x" on the next are the same activity.
 */
export const normalizeEntityValue = (value: string): string => value.trim().toLowerCase();

/**
 * The stable dedup key: a hash of the hunt id and the sorted (column, value)
 * pairs, so the same activity gets the same key on every run whatever the
 * row order. 32 hex characters fit every sink's key field.
 */
export function dedupKey(huntId: string, entities: ReadonlyArray<Pick<FindingEntity, 'column' | 'value'>>): string {
  const pairs = entities.map((e) => `${e.column}\u001f${normalizeEntityValue(e.value)}`).sort();
  return createHash('sha256').update([huntId, ...pairs].join('\u001e')).digest('hex').slice(0, 32);
}

/**
 * What sinks know one finding by. The dedup key plus a random suffix drawn
 * when the finding is created (and stored with it, in the same transaction as
 * its deliveries): stable across retries and restarts, yet a finding opened
 * again after the first was closed gets a ticket of its own.
 */
export const newCorrelationId = (key: string): string => `quarry-${key}-${randomBytes(4).toString('hex')}`;
