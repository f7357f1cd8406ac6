import { json, startScriptedServer, type FakeResponse, type ScriptedServer } from '../virustotal/scripted-server.js';

/**
 * A fake IBM X-Force Exchange API on loopback, basic auth (key:password):
 *   GET /ipr/{ip}        -> {ip, score (1-10), reason, reasonDescription, cats, geo, history, subnets, tags}
 *   GET /url/{url|host}  -> {result: {url, score, cats, categoryDescriptions}, associated, tags}
 *   GET /malware/{hash}  -> {malware: {type, hash, risk: low|medium|high, family, origins, created}, tags}
 * Errors are {"error": "..."}: 404 "Not found.", 401 "Not authorized.", 402 when the plan's quota is spent.
 */

export interface XForceFake extends ScriptedServer {
  /** Risk score (1-10) of an IP, or of a URL or host name. Unknown URLs and hosts answer 404; unknown IPs score 1. */
  setScore(kind: 'ip' | 'url', value: string, score: number): void;
  /** A hash X-Force has in its malware database. Unknown hashes answer 404. */
  setMalware(hash: string, risk: 'low' | 'medium' | 'high', family?: string[]): void;
  /** Answer unknown URLs and hashes with this score/risk instead of 404 (bench). */
  answerUnknown: boolean;
}

export const xforceError = (status: number, message: string, headers?: Record<string, string>): FakeResponse => ({ status, body: { error: message }, headers });

export async function startXForceFake(opts: { apiKey?: string; apiPassword?: string } = {}): Promise<XForceFake> {
  const expected = `Basic ${Buffer.from(`${opts.apiKey ?? 'xf-key'}:${opts.apiPassword ?? 'xf-password'}`).toString('base64')}`;
  const scores = new Map<string, number>();
  const malware = new Map<string, { risk: string; family: string[] }>();
  const settings = { answerUnknown: false };

  const server = await startScriptedServer(
    (_req, url) => {
      const m = /^\/(ipr|url|malware)\/(.+)$/.exec(url.pathname);
      if (!m) return json(404, { error: 'Not found.' });
      const value = decodeURIComponent(m[2]!);
      if (m[1] === 'ipr') {
        const score = scores.get(`ip/${value}`) ?? 1;
        return json(200, {
          ip: value,
          history: [{ created: '2026-01-01T00:00:00.000Z', reason: 'Regional Internet Registry', geo: { country: 'United States', countrycode: 'US' }, ip: `${value}/32`, cats: {}, score }],
          subnets: [],
          cats: score >= 7 ? { 'Botnet Command and Control Server': 86 } : {},
          geo: { country: 'United States', countrycode: 'US' },
          score,
          reason: score >= 7 ? 'Content found on multihoster' : 'Regional Internet Registry',
          reasonDescription: 'One of the five RIRs announced a (new) location mapping of the IP.',
          tags: [],
        }, value);
      }
      if (m[1] === 'url') {
        const score = scores.get(`url/${value}`) ?? (settings.answerUnknown ? 1 : undefined);
        if (score === undefined) return json(404, { error: 'Not found.' }, value);
        return json(200, { result: { url: value, cats: {}, score, categoryDescriptions: {} }, associated: [], tags: [] }, value);
      }
      const hash = value.toLowerCase();
      const known = malware.get(hash) ?? (settings.answerUnknown ? { risk: 'low', family: [] } : undefined);
      if (!known) return json(404, { error: 'Not found.' }, hash);
      return json(200, {
        malware: {
          origins: { external: { source: 'reversingLabs', firstSeen: '2025-06-01T00:00:00Z', lastSeen: '2026-01-01T00:00:00Z', malwareType: 'Trojan', platform: 'Win32', family: known.family } },
          type: hash.length === 32 ? 'md5' : hash.length === 40 ? 'sha1' : 'sha256',
          md5: `0x${hash.toUpperCase()}`,
          hash: `0x${hash.toUpperCase()}`,
          created: '2025-06-01T00:00:00Z',
          family: known.family,
          familyMembers: {},
          risk: known.risk,
        },
        tags: [],
      }, hash);
    },
    (req) => (req.headers.authorization === expected ? null : xforceError(401, 'Not authorized.')),
  );

  const fake = Object.assign(server, {
    setScore(kind: 'ip' | 'url', value: string, score: number) {
      scores.set(`${kind}/${value}`, score);
    },
    setMalware(hash: string, risk: 'low' | 'medium' | 'high', family: string[] = []) {
      malware.set(hash.toLowerCase(), { risk, family });
    },
    answerUnknown: false,
  });
  Object.defineProperty(fake, 'answerUnknown', { get: () => settings.answerUnknown, set: (v: boolean) => (settings.answerUnknown = v) });
  return fake;
}
