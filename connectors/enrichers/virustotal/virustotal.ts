import { createHash } from 'node:crypto';
import type { Indicator, IndicatorType, Verdict } from '../../../engine/enrichment/indicator.js';
import {
  clampScore, field, getJson, numberOr, parseBody,
  type EnrichmentProvider, type ProviderConfig, type ProviderVerdict,
} from '../types.js';

/**
 * VirusTotal API v3: GET /api/v3/{ip_addresses|domains|files|urls}/{id} with
 * the key in `x-apikey`. Each object carries `attributes.last_analysis_stats`
 * (engine counts: malicious, suspicious, harmless, undetected, timeout).
 * Errors are {"error": {"code", "message"}}; a URL's id is its unpadded
 * base64url form, and its web page is keyed by the SHA-256 of the URL.
 */

const SUPPORTED = new Set<IndicatorType>(['ipv4', 'ipv6', 'domain', 'url', 'md5', 'sha1', 'sha256']);

export interface VirusTotalOptions extends ProviderConfig {
  apiKey: string;
  /** Engines that must flag an object malicious before the verdict is malicious. */
  maliciousThreshold: number;
}

export const virusTotalUrlId = (url: string): string => Buffer.from(url, 'utf8').toString('base64url');

function paths(indicator: Indicator): { api: string; gui: string } {
  const v = indicator.value;
  switch (indicator.type) {
    case 'ipv4':
    case 'ipv6':
      return { api: `ip_addresses/${v}`, gui: `ip-address/${v}` };
    case 'domain':
      return { api: `domains/${v}`, gui: `domain/${v}` };
    case 'url':
      return { api: `urls/${virusTotalUrlId(v)}`, gui: `url/${createHash('sha256').update(v).digest('hex')}` };
    default:
      return { api: `files/${v}`, gui: `file/${v}` };
  }
}

/** Engine counts to a verdict: enough "malicious" votes to trust, any flag is suspicious, clean scans harmless. */
export function virusTotalVerdict(stats: unknown, maliciousThreshold: number): { verdict: Verdict; score: number | null } {
  const malicious = numberOr(field(stats, 'malicious'), 0);
  const suspicious = numberOr(field(stats, 'suspicious'), 0);
  const harmless = numberOr(field(stats, 'harmless'), 0);
  const undetected = numberOr(field(stats, 'undetected'), 0);
  const total = malicious + suspicious + harmless + undetected;
  if (total === 0) return { verdict: 'unknown', score: null };
  const score = clampScore((100 * (malicious + suspicious / 2)) / total);
  if (malicious >= maliciousThreshold) return { verdict: 'malicious', score };
  if (malicious > 0 || suspicious > 0) return { verdict: 'suspicious', score };
  return { verdict: 'harmless', score };
}

const errorDetail = (text: string): { code: string; message: string } => {
  const body = (() => {
    try {
      return JSON.parse(text) as unknown;
    } catch {
      return null;
    }
  })();
  return { code: String(field(body, 'error', 'code') ?? 'unknown'), message: String(field(body, 'error', 'message') ?? text.slice(0, 200)) };
};

export function createVirusTotalProvider(opts: VirusTotalOptions): EnrichmentProvider {
  return {
    id: 'virustotal',
    supports: (type) => SUPPORTED.has(type),
    async lookup(indicator, signal): Promise<ProviderVerdict> {
      const { api, gui } = paths(indicator);
      const link = `${opts.guiUrl}/gui/${gui}`;
      const url = new URL(`${opts.baseUrl}/api/v3/${api}`);
      // A 429 (QuotaExceededError covers the minute, the day and the month alike) becomes a backoff and requeue upstream.
      const res = await getJson('virustotal', opts, url, { 'x-apikey': opts.apiKey }, (r) => {
        const e = errorDetail(r.text);
        return `${e.code}: ${e.message}`;
      }, signal);
      const body = parseBody(res);
      if (res.status === 404) return { found: false, verdict: 'unknown', score: null, link, raw: body };
      const { verdict, score } = virusTotalVerdict(field(body, 'data', 'attributes', 'last_analysis_stats'), opts.maliciousThreshold);
      return { found: true, verdict, score, link, raw: body };
    },
  };
}
