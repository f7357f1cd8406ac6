import { json, startScriptedServer, type FakeResponse, type ScriptedServer } from '../virustotal/scripted-server.js';

/**
 * A fake AlienVault OTX DirectConnect API on loopback, key in `X-OTX-API-KEY`:
 *   GET /api/v1/indicators/{IPv4|IPv6|domain|hostname|url|file}/{value}/general
 * answering {indicator, type, type_title, pulse_info: {count, pulses, references, related},
 * validation, false_positive, base_indicator, sections}. Like OTX, any well-formed
 * indicator gets a 200 with zero pulses unless told otherwise; errors are
 * {"detail": "..."}: 403 for a bad key, 404, 429 "Request was throttled".
 */

export interface OtxFake extends ScriptedServer {
  /** Pulses that name the indicator; `validation` marks it benign (whitelist, popular domain). */
  setPulses(section: string, value: string, count: number, validation?: Array<{ source: string; message: string; name: string }>): void;
  /** Answer 404 for this indicator. */
  setNotFound(section: string, value: string): void;
}

export const otxError = (status: number, detail: string, headers?: Record<string, string>): FakeResponse => ({ status, body: { detail }, headers });

/** OTX's throttling answer (Django REST framework), with its Retry-After. */
export const otxThrottled = (seconds: number): FakeResponse =>
  otxError(429, `Request was throttled. Expected available in ${seconds} seconds.`, { 'retry-after': String(seconds) });

const TYPE_TITLE: Record<string, string> = { IPv4: 'IPv4', IPv6: 'IPv6', domain: 'Domain', hostname: 'Hostname', url: 'URL', file: 'FileHash' };

export async function startOtxFake(opts: { apiKey?: string } = {}): Promise<OtxFake> {
  const apiKey = opts.apiKey ?? 'otx-test-key';
  const pulses = new Map<string, { count: number; validation: unknown[] }>();
  const notFound = new Set<string>();

  const server = await startScriptedServer(
    (_req, url) => {
      const m = /^\/api\/v1\/indicators\/(IPv4|IPv6|domain|hostname|url|file)\/(.+)\/general$/.exec(url.pathname);
      if (!m) return json(404, { detail: 'Not found.' });
      const section = m[1]!;
      const value = decodeURIComponent(m[2]!);
      if (notFound.has(`${section}/${value}`)) return json(404, { detail: 'Not found.' }, value);
      const known = pulses.get(`${section}/${value}`) ?? { count: 0, validation: [] };
      return json(200, {
        indicator: value,
        type: section === 'file' ? 'FileHash-SHA256' : section,
        type_title: TYPE_TITLE[section],
        base_indicator: { id: 1, indicator: value, type: section, title: '', description: '', content: '', access_type: 'public', access_reason: '' },
        pulse_info: {
          count: known.count,
          pulses: Array.from({ length: known.count }, (_, i) => ({ id: `pulse-${i}`, name: `Campaign ${i}`, tags: ['malware'], created: '2025-12-01T00:00:00' })),
          references: [],
          related: { alienvault: { adversary: [], malware_families: [], industries: [] }, other: { adversary: [], malware_families: [], industries: [] } },
        },
        false_positive: [],
        validation: known.validation,
        sections: ['general', 'geo', 'reputation', 'url_list', 'passive_dns', 'malware'],
        reputation: 0,
      }, value);
    },
    (req) => (req.headers['x-otx-api-key'] === apiKey ? null : otxError(403, 'Invalid API key')),
  );

  return Object.assign(server, {
    setPulses(section: string, value: string, count: number, validation: Array<{ source: string; message: string; name: string }> = []) {
      pulses.set(`${section}/${value}`, { count, validation });
    },
    setNotFound(section: string, value: string) {
      notFound.add(`${section}/${value}`);
    },
  });
}
