import { createHash } from 'node:crypto';
import { json, startScriptedServer, type FakeResponse, type ScriptedServer } from './scripted-server.js';

/**
 * A fake VirusTotal API v3 on loopback:
 *   GET /api/v3/ip_addresses/{ip}   /api/v3/domains/{domain}
 *   GET /api/v3/files/{md5|sha1|sha256}   /api/v3/urls/{base64url id or sha256}
 * with the key in `x-apikey`. Objects are {"data": {"id", "type", "links",
 * "attributes": {"last_analysis_stats", ...}}}; errors {"error": {"code", "message"}}
 * with the documented codes (NotFoundError 404, WrongCredentialsError 401,
 * QuotaExceededError 429, ...).
 */

export interface AnalysisStats {
  malicious: number;
  suspicious: number;
  harmless: number;
  undetected: number;
  timeout: number;
}

type Collection = 'ip_addresses' | 'domains' | 'files' | 'urls';
const OBJECT_TYPE: Record<Collection, string> = { ip_addresses: 'ip_address', domains: 'domain', files: 'file', urls: 'url' };

export interface VirusTotalFake extends ScriptedServer {
  /** What VirusTotal "knows": engine counts for an IP, domain, file hash or URL. Unknown ones answer 404. */
  setAnalysis(collection: Collection, value: string, stats: Partial<AnalysisStats>): void;
  /** Answer every unknown indicator with these counts instead of 404 (bench). */
  answerUnknownWith: Partial<AnalysisStats> | null;
}

export const vtError = (status: number, code: string, message: string, headers?: Record<string, string>): FakeResponse => ({
  status,
  body: { error: { code, message } },
  headers,
});

/** The 429 VirusTotal sends when a quota (minute, day or month) is exceeded. */
export const vtQuotaExceeded = (retryAfterSeconds?: number): FakeResponse =>
  vtError(429, 'QuotaExceededError', 'Quota exceeded', retryAfterSeconds === undefined ? undefined : { 'retry-after': String(retryAfterSeconds) });

const fullStats = (s: Partial<AnalysisStats>): AnalysisStats => ({ malicious: 0, suspicious: 0, harmless: 0, undetected: 0, timeout: 0, ...s });
const sha256 = (s: string): string => createHash('sha256').update(s).digest('hex');

export async function startVirusTotalFake(opts: { apiKey?: string } = {}): Promise<VirusTotalFake> {
  const apiKey = opts.apiKey ?? 'vt-test-key';
  const known = new Map<string, AnalysisStats>();
  const urlsBySha = new Map<string, string>();
  let answerUnknownWith: Partial<AnalysisStats> | null = null;

  const server = await startScriptedServer(
    (_req, url) => {
      const m = /^\/api\/v3\/(ip_addresses|domains|files|urls)\/([^/]+)$/.exec(url.pathname);
      if (!m) return json(404, { error: { code: 'NotFoundError', message: `Resource ${url.pathname} not found` } });
      const collection = m[1] as Collection;
      let id = decodeURIComponent(m[2]!);
      let indicator = id;
      if (collection === 'urls') {
        indicator = /^[0-9a-f]{64}$/.test(id) ? (urlsBySha.get(id) ?? id) : Buffer.from(id, 'base64url').toString('utf8');
        id = sha256(indicator);
      }
      if (collection === 'files') indicator = indicator.toLowerCase();
      const stats = known.get(`${collection}/${indicator}`) ?? (answerUnknownWith ? fullStats(answerUnknownWith) : null);
      if (!stats) {
        const what = collection === 'urls' ? 'URL' : collection === 'files' ? 'File' : collection === 'domains' ? 'Domain' : 'IP address';
        return { ...vtError(404, 'NotFoundError', `${what} "${m[2]}" not found`), indicator };
      }
      return json(200, {
        data: {
          id,
          type: OBJECT_TYPE[collection],
          links: { self: `https://www.virustotal.com/api/v3/${collection}/${id}` },
          attributes: {
            last_analysis_stats: stats,
            last_analysis_date: 1767225600,
            reputation: stats.malicious > 0 ? -stats.malicious : 0,
            total_votes: { harmless: 0, malicious: stats.malicious > 0 ? 1 : 0 },
            last_analysis_results: {},
          },
        },
      }, indicator);
    },
    (req) => {
      const key = req.headers['x-apikey'];
      if (key === undefined) return vtError(401, 'AuthenticationRequiredError', 'X-Apikey header is missing');
      if (key !== apiKey) return vtError(401, 'WrongCredentialsError', 'Wrong API key');
      return null;
    },
  );

  const fake = Object.assign(server, {
    setAnalysis(collection: Collection, value: string, stats: Partial<AnalysisStats>) {
      known.set(`${collection}/${value}`, fullStats(stats));
      if (collection === 'urls') urlsBySha.set(sha256(value), value);
    },
    answerUnknownWith: null as Partial<AnalysisStats> | null,
  });
  // The route reads the live setting through this accessor (Object.assign copies values, not accessors).
  Object.defineProperty(fake, 'answerUnknownWith', {
    get: () => answerUnknownWith,
    set: (v: Partial<AnalysisStats> | null) => (answerUnknownWith = v),
  });
  return fake;
}
