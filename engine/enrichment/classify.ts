import { parse as parseDomain } from 'tldts';
import type { Allowlist } from './allowlist.js';
import type { Indicator, IndicatorType, SkipReason } from './indicator.js';
import { canonicalUrl, trimUrl } from './url-canonical.js';
import { formatIPv4, formatIPv6, isPublicIPv4, isPublicIPv6, mappedIPv4, parseIPv4, parseIPv6 } from './ip-address.js';

/**
 * Turns one candidate string into a canonical indicator (or nothing), and
 * says whether it may leave the machine. Shared by free-text scanning, typed
 * (entity-mapped) columns and single lookups, so all three agree.
 */

export interface Classified extends Indicator {
  skip: SkipReason | null;
}

export interface ClassifyContext {
  allowlist: Allowlist;
}

const TLDTS_OPTIONS = { extractHostname: false, detectIp: false, mixedInputs: false, detectSpecialUse: true } as const;
const HOSTNAME = /^(?:[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?\.)+(?:[a-z]{2,63}|xn--[a-z0-9-]{1,59})$/;
const HEX = /^[0-9a-f]+$/;
const EMAIL = /^[a-z0-9.!#$%&'*+/=?^_`{|}~-]{1,64}@([^@\s]+)$/;

/**
 * Suffixes that are real TLDs but far more often file extensions in logs
 * (script.py, main.rs, run.sh). A bare "name.ext" in free text with one of
 * these is taken for a file name; in a DNS-mapped column, or with more labels
 * (cdn.evil.sh), it is still a domain.
 */
const FILE_LIKE_SUFFIXES = new Set(['py', 'sh', 'rs', 'pl', 'md', 'ps', 'so', 'zip', 'mov', 'cs', 'ts', 'swift', 'bat', 'exe', 'dll']);

export function classifyIPv4(text: string, ctx: ClassifyContext): Classified | null {
  const ip = parseIPv4(text);
  // The strict parse admits only the canonical spelling, so the text is the value.
  return ip === null ? null : ipv4Result(ip, ctx, text);
}

function ipv4Result(ip: number, ctx: ClassifyContext, canonical = formatIPv4(ip)): Classified {
  const skip: SkipReason | null = !isPublicIPv4(ip) ? 'non_public' : ctx.allowlist.hasIPv4(ip) ? 'allowlisted' : null;
  return { type: 'ipv4', value: canonical, skip };
}

export function classifyIPv6(text: string, ctx: ClassifyContext): Classified | null {
  const bracketed = text.startsWith('[') && text.endsWith(']') ? text.slice(1, -1) : text;
  const ip = parseIPv6(bracketed);
  if (ip === null) return null;
  const v4 = mappedIPv4(ip);
  if (v4 !== null) return ipv4Result(v4, ctx);
  const skip: SkipReason | null = !isPublicIPv6(ip) ? 'non_public' : ctx.allowlist.hasIPv6(ip) ? 'allowlisted' : null;
  return { type: 'ipv6', value: formatIPv6(ip), skip };
}

export interface DomainOptions {
  /** Free text: a bare "name.py" is a file name, not a domain (see FILE_LIKE_SUFFIXES). */
  rejectFileLike?: boolean;
}

/** A host name under a public suffix of the ICANN list (so "file.exe" and "corp.local" are not domains). */
export function classifyDomain(text: string, ctx: ClassifyContext, opts: DomainOptions = {}): Classified | null {
  const host = text.toLowerCase().replace(/\.$/, '');
  if (host.length > 253 || !HOSTNAME.test(host)) return null;
  const parsed = parseDomain(host, TLDTS_OPTIONS);
  if (!parsed.isIcann || !parsed.domain || !parsed.publicSuffix) return null;
  if (opts.rejectFileLike && !parsed.subdomain && FILE_LIKE_SUFFIXES.has(parsed.publicSuffix)) return null;
  // Special-use names (example.com, *.test, home.arpa) never resolve publicly; .onion is the exception worth asking about.
  const specialUse = parsed.isSpecialUse === true && parsed.publicSuffix !== 'onion';
  const skip: SkipReason | null = specialUse ? 'non_public' : ctx.allowlist.hasDomain(host) ? 'allowlisted' : null;
  return { type: 'domain', value: host, skip };
}

/** A host part of a URL or mail address: an IP literal or a domain. */
function classifyHost(host: string, ctx: ClassifyContext): Classified | null {
  if (host.startsWith('[')) return classifyIPv6(host, ctx);
  return classifyIPv4(host, ctx) ?? classifyDomain(host, ctx);
}

export interface ClassifiedUrl {
  url: Classified;
  /** The URL's host as an indicator of its own: a lookup of evil.com says more than one of a long URL. */
  host: Classified;
}

/** http(s) and ftp URLs whose host is a public IP or a domain; the URL inherits its host's skip reason. */
export function classifyUrl(text: string, ctx: ClassifyContext, hostMemo?: Map<string, Classified | null>): ClassifiedUrl | null {
  const url = canonicalUrl(trimUrl(text));
  if (!url) return null;
  let host = hostMemo?.get(url.hostname);
  if (host === undefined) {
    host = classifyHost(url.hostname, ctx);
    hostMemo?.set(url.hostname, host);
  }
  if (!host) return null;
  return { url: { type: 'url', value: url.href, skip: host.skip }, host };
}

export function classifyEmail(text: string, ctx: ClassifyContext): Classified | null {
  const lower = text.toLowerCase();
  const m = EMAIL.exec(lower);
  if (!m || lower.startsWith('.') || lower.includes('..')) return null;
  const host = classifyDomain(m[1]!, ctx);
  if (!host) return null;
  return { type: 'email', value: lower, skip: host.skip };
}

const HASH_TYPES: Record<number, IndicatorType> = { 32: 'md5', 40: 'sha1', 64: 'sha256' };

export function classifyHash(text: string): Classified | null {
  const type = HASH_TYPES[text.length];
  const lower = text.toLowerCase();
  if (!type || !HEX.test(lower)) return null;
  // All one digit ("000...0") is a placeholder in logs, not a file.
  if (/^(.)\1*$/.test(lower)) return null;
  return { type, value: lower, skip: null };
}

/**
 * A free-text token: word characters joined by dots, colons and @ (see
 * extract.ts), read as whichever indicator it is. Colons either make an IPv6
 * address or separate parts read one by one ("src:1.2.3.4", "evil.com:443",
 * "mailto:x@y.com").
 */
export function classifyToken(token: string, ctx: ClassifyContext): Classified[] {
  const t = trimTrailingDots(token);
  if (!t.includes(':')) {
    const c = classifyPart(t, ctx);
    return c ? [c] : [];
  }
  const v6 = classifyIPv6(t, ctx) ?? (t.endsWith(':') && !t.endsWith('::') ? classifyIPv6(t.slice(0, -1), ctx) : null);
  if (v6) return [v6];
  const found: Classified[] = [];
  for (const part of t.split(':')) {
    const c = classifyPart(trimTrailingDots(part), ctx);
    if (c) found.push(c);
  }
  return found;
}

function trimTrailingDots(text: string): string {
  let end = text.length;
  while (end > 0 && text.charCodeAt(end - 1) === 46) end--;
  return end === text.length ? text : text.slice(0, end);
}

const DIGITS_AND_DOTS = /^[\d.]+$/;

function classifyPart(p: string, ctx: ClassifyContext): Classified | null {
  if (p.length < 4) return null;
  if (p.includes('@')) return classifyEmail(p, ctx);
  if (DIGITS_AND_DOTS.test(p)) return classifyIPv4(p, ctx);
  const hash = HASH_TYPES[p.length] ? classifyHash(p) : null;
  if (hash) return hash;
  const domain = classifyDomain(p, ctx, { rejectFileLike: true });
  if (domain) return domain;
  // "44d88612fea8a8f36de82e1278abb02f.exe": samples are often named after their hash.
  const dot = p.indexOf('.');
  return HASH_TYPES[dot] ? classifyHash(p.slice(0, dot)) : null;
}

/**
 * A whole value taken as one indicator of any type, as typed by a hunter
 * (`quarry ioc lookup`) or held by an entity-mapped column. A URL also
 * yields its host.
 */
export function classifyValue(text: string, ctx: ClassifyContext, only?: ReadonlySet<IndicatorType>): Classified[] {
  const v = text.trim();
  if (!v) return [];
  const wanted = (c: Classified | null): Classified[] => (c && (!only || only.has(c.type)) ? [c] : []);
  if (/^[a-z][a-z0-9+.-]*:\/\//i.test(v)) {
    const u = classifyUrl(v, ctx);
    return u ? [...wanted(u.url), ...wanted(u.host)] : [];
  }
  if (v.includes('@')) return wanted(classifyEmail(v, ctx));
  if (v.includes(':')) return wanted(classifyIPv6(v, ctx));
  return wanted(classifyHash(v) ?? classifyIPv4(v, ctx) ?? classifyDomain(v, ctx));
}

/**
 * Checks an indicator again just before it is sent: the allowlist may have
 * grown since the run was extracted. Returns why it must stay home, or null.
 */
export function reasonToKeepHome(indicator: Indicator, ctx: ClassifyContext): SkipReason | null {
  if (indicator.type === 'md5' || indicator.type === 'sha1' || indicator.type === 'sha256') return null;
  const [again] = classifyValue(indicator.value, ctx, new Set([indicator.type]));
  // A value that no longer classifies at all is not sent either.
  return again ? again.skip : 'non_public';
}
