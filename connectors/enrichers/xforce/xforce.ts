import type { Indicator, IndicatorType, Verdict } from '../../../engine/enrichment/indicator.js';
import {
  clampScore, field, getJson, parseBody, ProviderRateLimitError, ProviderRejectedError,
  type EnrichmentProvider, type ProviderConfig, type ProviderVerdict,
} from '../types.js';

/**
 * IBM X-Force Exchange: basic auth with the API key and password.
 * GET /ipr/{ip} answers {ip, score (1-10), cats, history, reason, ...};
 * GET /url/{url-or-domain} answers {result: {url, score, cats}, associated};
 * GET /malware/{hash} answers {malware: {type, risk: low|medium|high, family, origins}}.
 * Errors are {"error": "Not found."} and the like; 402 means the plan's quota is spent.
 */

const SUPPORTED = new Set<IndicatorType>(['ipv4', 'ipv6', 'domain', 'url', 'md5', 'sha1', 'sha256']);

export interface XForceOptions extends ProviderConfig {
  apiKey: string;
  apiPassword: string;
}

function paths(indicator: Indicator): { api: string; gui: string } {
  // Only a URL needs escaping to sit in one path segment; addresses, names and hashes go as they are.
  const v = indicator.type === 'url' ? encodeURIComponent(indicator.value) : indicator.value;
  switch (indicator.type) {
    case 'ipv4':
    case 'ipv6':
      return { api: `ipr/${v}`, gui: `ip/${v}` };
    case 'domain':
    case 'url':
      return { api: `url/${v}`, gui: `url/${v}` };
    default:
      return { api: `malware/${v}`, gui: `malware/${v}` };
  }
}

/** X-Force risk scores run 1 (unsuspicious) to 10 (very risky); 7 and up is the usual "malicious" line. */
export function xforceScoreVerdict(score: unknown): { verdict: Verdict; score: number | null } {
  if (typeof score !== 'number' || !Number.isFinite(score)) return { verdict: 'unknown', score: null };
  const verdict: Verdict = score >= 7 ? 'malicious' : score >= 4 ? 'suspicious' : 'harmless';
  return { verdict, score: clampScore(score * 10) };
}

const RISK: Record<string, { verdict: Verdict; score: number }> = {
  high: { verdict: 'malicious', score: 90 },
  medium: { verdict: 'suspicious', score: 60 },
  low: { verdict: 'harmless', score: 20 },
};

function normalise(indicator: Indicator, body: unknown): { verdict: Verdict; score: number | null } {
  switch (indicator.type) {
    case 'ipv4':
    case 'ipv6':
      return xforceScoreVerdict(field(body, 'score'));
    case 'domain':
    case 'url':
      return xforceScoreVerdict(field(body, 'result', 'score'));
    default: {
      const risk = field(body, 'malware', 'risk');
      return (typeof risk === 'string' && RISK[risk.toLowerCase()]) || { verdict: 'unknown', score: null };
    }
  }
}

const errorDetail = (text: string): string => {
  try {
    return String(field(JSON.parse(text), 'error') ?? text.slice(0, 200));
  } catch {
    return text.slice(0, 200);
  }
};

export function createXForceProvider(opts: XForceOptions): EnrichmentProvider {
  const authorization = `Basic ${Buffer.from(`${opts.apiKey}:${opts.apiPassword}`, 'utf8').toString('base64')}`;
  return {
    id: 'xforce',
    supports: (type) => SUPPORTED.has(type),
    async lookup(indicator, signal): Promise<ProviderVerdict> {
      const { api, gui } = paths(indicator);
      const link = `${opts.guiUrl}/${gui}`;
      const url = new URL(`${opts.baseUrl}/${api}`);
      let res;
      try {
        res = await getJson('xforce', opts, url, { authorization }, (r) => errorDetail(r.text), signal);
      } catch (err) {
        // 402 Payment Required: the plan's allowance is used up, which waiting a minute will not fix.
        if (err instanceof ProviderRejectedError && err.status === 402) {
          throw new ProviderRateLimitError('xforce', null, true, 'quota of the API plan exhausted (HTTP 402)');
        }
        throw err;
      }
      const body = parseBody(res);
      if (res.status === 404) return { found: false, verdict: 'unknown', score: null, link, raw: body };
      return { found: true, ...normalise(indicator, body), link, raw: body };
    },
  };
}
