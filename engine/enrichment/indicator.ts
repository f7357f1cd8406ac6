/** What Quarry pulls out of results and may look up: network locations, file hashes, mail addresses. */
export const indicatorTypes = ['ipv4', 'ipv6', 'domain', 'url', 'md5', 'sha1', 'sha256', 'email'] as const;
export type IndicatorType = (typeof indicatorTypes)[number];

export interface Indicator {
  type: IndicatorType;
  /** Canonical form: lower-case hosts, hashes and mail addresses, compressed IPv6, WHATWG-serialised URLs. */
  value: string;
}

/**
 * Why an indicator is kept on the machine: `non_public` for private,
 * loopback, link-local, CGNAT, multicast, documentation and reserved
 * addresses and names; `allowlisted` for the organisation's own.
 */
export type SkipReason = 'non_public' | 'allowlisted';

export const indicatorKey = (i: Indicator): string => `${i.type}:${i.value}`;

export function parseIndicatorKey(key: string): Indicator {
  const colon = key.indexOf(':');
  return { type: key.slice(0, colon) as IndicatorType, value: key.slice(colon + 1) };
}

/** Ordered from least to most severe, so the order doubles as the rank. */
export const verdicts = ['unknown', 'harmless', 'suspicious', 'malicious'] as const;
export type Verdict = (typeof verdicts)[number];

export const verdictRank = (v: Verdict): number => verdicts.indexOf(v);

/** The most severe of several verdicts ("max verdict per row"); `unknown` when there are none. */
export function maxVerdict(list: Iterable<Verdict>): Verdict {
  let best = 0;
  for (const v of list) best = Math.max(best, verdictRank(v));
  return verdicts[best]!;
}

export const isHashType = (t: IndicatorType): t is 'md5' | 'sha1' | 'sha256' => t === 'md5' || t === 'sha1' || t === 'sha256';
