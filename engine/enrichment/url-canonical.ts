/**
 * URLs in the WHATWG serialisation (what `new URL(x).href` gives), without
 * credentials. Plain ASCII URLs, nearly all of those in logs, are rebuilt by
 * hand at a fraction of the cost of the URL parser; anything unusual (percent
 * signs or dot segments in the path, non-ASCII, odd ports) goes through it.
 */

export interface CanonicalUrl {
  href: string;
  /** Lower case; IPv6 literals keep their brackets, as URL.hostname does. */
  hostname: string;
}

const SIMPLE = /^(https?|ftp):\/\/([^/?#]*)(.*)$/i;
const SIMPLE_HOST = /^(?:[a-z0-9.-]+|\[[0-9a-f:.]+\])(?::(\d{1,5}))?$/;
const DEFAULT_PORT: Record<string, string> = { http: '80', https: '443', ftp: '21' };
// A path the URL parser would rewrite: dot segments, escapes to normalise, characters it percent-encodes, non-ASCII.
const NEEDS_PARSER = /\/\.|[%'"<>`{}|^\\]|[^\x21-\x7e]/;

export function canonicalUrl(text: string): CanonicalUrl | null {
  const m = SIMPLE.exec(text);
  if (m) {
    const scheme = m[1]!.toLowerCase();
    const authority = m[2]!.toLowerCase();
    const rest = m[3]!;
    const hostPort = authority.slice(authority.lastIndexOf('@') + 1);
    const hp = SIMPLE_HOST.exec(hostPort);
    if (hp && !NEEDS_PARSER.test(rest) && hostPort.length > 0) {
      const port = hp[1];
      const hostname = port === undefined ? hostPort : hostPort.slice(0, hostPort.length - port.length - 1);
      if (port === undefined || (port === String(Number(port)) && port !== DEFAULT_PORT[scheme] && Number(port) < 65536)) {
        if (hostname.length > 0 && !hostname.startsWith('[')) {
          const path = rest === '' || rest[0] === '?' || rest[0] === '#' ? `/${rest}` : rest;
          return { href: `${scheme}://${hostPort}${path}`, hostname };
        }
      }
    }
  }
  return parsed(text);
}

function parsed(text: string): CanonicalUrl | null {
  let url: URL;
  try {
    url = new URL(text);
  } catch {
    return null;
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:' && url.protocol !== 'ftp:') return null;
  // Credentials in a URL belong to someone; they are dropped before anything is stored or sent.
  if (url.username || url.password) {
    url.username = '';
    url.password = '';
  }
  return { href: url.href, hostname: url.hostname };
}

/** Trailing punctuation is sentence, not URL; a closing bracket stays only when the URL opened one. */
export function trimUrl(text: string): string {
  let end = text.length;
  for (;;) {
    const c = text[end - 1];
    if (c === undefined) break;
    if ('.,;:!?\'">'.includes(c)) end--;
    else if (c === ')' && count(text, '(', end) < count(text, ')', end)) end--;
    else if (c === ']' && count(text, '[', end) < count(text, ']', end)) end--;
    else break;
  }
  return end === text.length ? text : text.slice(0, end);
}

function count(text: string, ch: string, end: number): number {
  let n = 0;
  for (let i = 0; i < end; i++) if (text[i] === ch) n++;
  return n;
}
