/**
 * Undoes the usual "defanging" of indicators in reports and tickets:
 * hxxp(s), fxp, [.] (.) {.} [dot] (dot) {dot}, [:] [://] [/], [@] (@) [at] (at),
 * and a backslash before a dot. Bracketed forms may carry spaces around them
 * ("evil [dot] com"). Bare " dot " and " at " are left alone on purpose: in
 * prose they are words ("look at example.com" must not become a mail address).
 */

const QUICK_CHECK = /[[({\\]|xxp|fxp/i;

// One capture group per kind of defang, so the replacer only asks which one matched.
const DEFANGED = new RegExp(
  [
    String.raw`\bh(?:xx|\*\*)p(s?)(?=\[?:)`, // 1: hxxp:// hxxps[:]//
    String.raw`\b(fxp)(?=\[?:)`, // 2: fxp:// for ftp
    String.raw`( ?[[({](?:\.|dot)[\])}] ?)`, // 3: [.] (.) {.} [dot], optional spaces around
    String.raw`(\[:\/\/\])`, // 4: [://]
    String.raw`(\[:\])`, // 5: [:]
    String.raw`(\[\/\])`, // 6: [/]
    String.raw`( ?[[({](?:@|at)[\])}] ?)`, // 7: [@] (at)
    String.raw`(\\\.)`, // 8: evil\.com
  ].join('|'),
  'gi',
);

function replacement(_match: string, s?: string, ftp?: string, dot?: string, scheme?: string, colon?: string, slash?: string, at?: string): string {
  if (s !== undefined) return s ? 'https' : 'http';
  if (ftp !== undefined) return 'ftp';
  if (dot !== undefined) return '.';
  if (scheme !== undefined) return '://';
  if (colon !== undefined) return ':';
  if (slash !== undefined) return '/';
  if (at !== undefined) return '@';
  return '.';
}

export function refang(text: string): string {
  if (!QUICK_CHECK.test(text)) return text;
  return text.replace(DEFANGED, replacement);
}
