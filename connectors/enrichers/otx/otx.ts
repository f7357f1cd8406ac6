import { parse as parseDomain } from 'tldts';
import type { Indicator, IndicatorType, Verdict } from '../../../engine/enrichment/indicator.js';
import {
  clampScore, field, getJson, numberOr, parseBody,
  type EnrichmentProvider, type ProviderConfig, type ProviderVerdict,
} from '../types.js';

/**
 * AlienVault OTX: GET /api/v1/indicators/{IPv4|IPv6|domain|hostname|url|file}/{value}/general
 * with the key in `X-OTX-API-KEY`. The general section carries `pulse_info.count`
 * (community threat reports naming the indicator) and `validation` (reasons OTX
 * considers it benign: whitelists, popular domains). Errors are {"detail": "..."}.
 */

const SUPPORTED = new Set<IndicatorType>(['ipv4', 'ipv6', 'domain', 'url', 'md5', 'sha1', 'sha256']);

export interface OtxOptions extends ProviderConfig {
  apiKey: string;
  /** Pulses naming an indicator before it counts as malicious (one or more make it suspicious). */
  maliciousPulses?: number;
}

/** OTX files a name with a subdomain under "hostname" and a registrable name under "domain". */
function section(indicator: Indicator): { api: string; gui: string } {
  switch (indicator.type) {
    case 'ipv4':
      return { api: 'IPv4', gui: 'ip' };
    case 'ipv6':
      return { api: 'IPv6', gui: 'ip' };
    case 'domain': {
      const registrable = parseDomain(indicator.value, { extractHostname: false }).domain;
      return registrable === indicator.value ? { api: 'domain', gui: 'domain' } : { api: 'hostname', gui: 'hostname' };
    }
    case 'url':
      return { api: 'url', gui: 'url' };
    default:
      return { api: 'file', gui: 'file' };
  }
}

export function otxVerdict(body: unknown, maliciousPulses: number): { verdict: Verdict; score: number | null } {
  const pulses = numberOr(field(body, 'pulse_info', 'count'), 0);
  const validation = field(body, 'validation');
  const vouched = Array.isArray(validation) && validation.length > 0;
  if (pulses === 0) return vouched ? { verdict: 'harmless', score: 0 } : { verdict: 'unknown', score: null };
  const score = clampScore(Math.min(100, 20 * pulses));
  // Popular, whitelisted names turn up in pulses as collateral; they stay suspicious at most.
  if (pulses >= maliciousPulses && !vouched) return { verdict: 'malicious', score };
  return { verdict: 'suspicious', score };
}

const errorDetail = (text: string): string => {
  try {
    return String(field(JSON.parse(text), 'detail') ?? text.slice(0, 200));
  } catch {
    return text.slice(0, 200);
  }
};

export function createOtxProvider(opts: OtxOptions): EnrichmentProvider {
  const maliciousPulses = opts.maliciousPulses ?? 3;
  return {
    id: 'otx',
    supports: (type) => SUPPORTED.has(type),
    async lookup(indicator, signal): Promise<ProviderVerdict> {
      const { api, gui } = section(indicator);
      // Only a URL needs escaping to sit in one path segment; addresses, names and hashes go as they are.
      const value = indicator.type === 'url' ? encodeURIComponent(indicator.value) : indicator.value;
      const link = `${opts.guiUrl}/indicator/${gui}/${value}`;
      const url = new URL(`${opts.baseUrl}/api/v1/indicators/${api}/${value}/general`);
      const res = await getJson('otx', opts, url, { 'X-OTX-API-KEY': opts.apiKey }, (r) => errorDetail(r.text), signal);
      const body = parseBody(res);
      if (res.status === 404) return { found: false, verdict: 'unknown', score: null, link, raw: body };
      return { found: true, ...otxVerdict(body, maliciousPulses), link, raw: body };
    },
  };
}
