import { Allowlist, type AllowlistSettings } from './allowlist.js';
import { classifyHash, classifyIPv6, classifyToken, classifyUrl, classifyValue, type Classified, type ClassifyContext } from './classify.js';
import type { IndicatorType, SkipReason } from './indicator.js';
import { refang } from './refang.js';

/**
 * Free-text extraction: one regular expression finds candidates in a single
 * pass; each distinct candidate is classified once (public suffix,
 * special-purpose ranges, allowlist) and remembered, so a value repeated over
 * 500k rows costs one Map lookup after its first sighting. Indicators get
 * dense ids, so callers count in arrays rather than in keyed maps.
 */

/*
 * Candidates: a URL; a run of hex as long as a hash; a token of word
 * characters joined by dots, colons or @ (domains, IPv4 and IPv6 addresses,
 * mail), which classifyToken tells apart; an IPv6 address starting with "::".
 * Defanged separators and schemes ([.], (dot), [@], hxxp, [:]) are accepted
 * inside candidates, and each distinct candidate is refanged when it is
 * classified: cheaper than rewriting the whole text first.
 * The lookbehind in front (rather than \b) makes only token starts
 * candidates, which keeps the scan linear on long dashed or base64 runs; the
 * one after "::" leaves out a "::" glued to a word or to another colon.
 */
const SEPARATOR = String.raw`(?:[.:@]|\s?[[({](?:\.|dot|@|at)[\])}]\s?|\[:\]|\\\.)`;
const CANDIDATES = new RegExp(
  String.raw`(?<![\w%+-])(?:` +
    String.raw`(?:h(?:tt|xx|\*\*)ps?|f[tx]p)(?:\[:\/\/\]|(?::|\[:\])\/\/)[^\s"'<>\x60{}|\\^]+` +
    String.raw`|[0-9a-f]{32}(?:[0-9a-f]{8}(?:[0-9a-f]{24})?)?(?![\w-]|\.\w)` +
    String.raw`|[\w%+-]+(?:${SEPARATOR}[\w%+-]*)+` +
    String.raw`)|::(?<![\w:.]::)[0-9a-f][0-9a-f:.]*`,
  'gi',
);

const HEX_RUN = /^[0-9a-f]+$/i;

/** Remembered candidates are dropped past this many, to bound memory on huge, varied text. */
const DEFAULT_MEMO_LIMIT = 500_000;
const NONE = -1;

export class IndicatorScanner {
  private readonly ctx: ClassifyContext;
  /** Candidate text -> indicator id, ids, or NONE. */
  private memo = new Map<string, number | readonly number[]>();
  private readonly ids = new Map<IndicatorType, Map<string, number>>();
  private readonly list: Classified[] = [];
  /** URL hosts repeat far more than URLs do. */
  private readonly hosts = new Map<string, Classified | null>();

  constructor(allowlist: Allowlist = new Allowlist(), private readonly memoLimit = DEFAULT_MEMO_LIMIT) {
    this.ctx = { allowlist };
  }

  /** Distinct indicators seen so far; ids run from 0 to size - 1. */
  get size(): number {
    return this.list.length;
  }

  indicator(id: number): Classified {
    return this.list[id]!;
  }

  /** Calls `found` with the id of each indicator occurrence in `text` (refanged first); a URL also reports its host. */
  scan(text: string, found: (id: number) => void): void {
    if (text.length > SCAN_CHUNK) {
      // A large text is scanned a piece at a time: one match() over megabytes makes an array of
      // millions of strings that outlives the young generation, and collecting it costs more than the scan.
      for (let start = 0; start < text.length; ) {
        const end = chunkEnd(text, start + SCAN_CHUNK);
        this.scanPiece(text.slice(start, end), found);
        start = end;
      }
    } else this.scanPiece(text, found);
  }

  private scanPiece(text: string, found: (id: number) => void): void {
    if (!mayHoldIndicator(text)) return;
    // match() with /g returns just the matched strings in one native call: far cheaper than exec() per match.
    const candidates = text.match(CANDIDATES);
    if (candidates === null) return;
    for (let i = 0; i < candidates.length; i++) {
      const raw = candidates[i]!;
      const hit = this.memo.get(raw) ?? this.remember(raw, this.classifyFresh(raw));
      if (typeof hit === 'number') {
        if (hit !== NONE) found(hit);
      } else for (let j = 0; j < hit.length; j++) found(hit[j]!);
    }
  }

  /**
   * A value from a column an entity mapping types: the whole value as one
   * indicator if it is one, else what a scan finds; either way only `types`.
   */
  scanTyped(text: string, types: ReadonlySet<IndicatorType>, found: (id: number) => void): void {
    const whole = classifyValue(refang(text), this.ctx, types);
    if (whole.length > 0) {
      for (const c of whole) found(this.idOf(c));
      return;
    }
    this.scan(text, (id) => {
      if (types.has(this.list[id]!.type)) found(id);
    });
  }

  private remember(raw: string, found: Classified[]): number | readonly number[] {
    const hit = found.length === 0 ? NONE : found.length === 1 ? this.idOf(found[0]!) : found.map((c) => this.idOf(c));
    if (this.memo.size >= this.memoLimit) this.memo = new Map();
    this.memo.set(raw, hit);
    return hit;
  }

  private idOf(c: Classified): number {
    let byValue = this.ids.get(c.type);
    if (!byValue) this.ids.set(c.type, (byValue = new Map()));
    const known = byValue.get(c.value);
    if (known !== undefined) return known;
    byValue.set(c.value, this.list.length);
    this.list.push(c);
    return this.list.length - 1;
  }

  private classifyFresh(candidate: string): Classified[] {
    const raw = refang(candidate);
    if (raw.charCodeAt(0) === 58) {
      const v6 = classifyIPv6(raw.replace(/\.+$/, ''), this.ctx);
      return v6 ? [v6] : [];
    }
    if (raw.includes('://')) {
      const u = classifyUrl(raw, this.ctx, this.hosts);
      return u ? [u.url, u.host] : [];
    }
    if ((raw.length === 32 || raw.length === 40 || raw.length === 64) && HEX_RUN.test(raw)) {
      const h = classifyHash(raw);
      return h ? [h] : [];
    }
    return classifyToken(raw, this.ctx);
  }
}

/** Characters per piece when a large text is scanned piece by piece. */
const SCAN_CHUNK = 256 * 1024;
const OPENING = [...'[({'].map((c) => c.charCodeAt(0));
const CLOSING = [...')]}'].map((c) => c.charCodeAt(0));

/**
 * Where a piece that should end near `from` ends: just after a line break no
 * candidate can span. A candidate holds whitespace only as the one optional
 * space next to a defanged separator ("evil [.] com"), so a break with no
 * bracket right before or after it ends every candidate, as the text's end would.
 */
function chunkEnd(text: string, from: number): number {
  for (let at = text.indexOf('\n', from); at !== -1; at = text.indexOf('\n', at + 1)) {
    const before = text.charCodeAt(at - 1);
    const after = text.charCodeAt(at + 1); // NaN past the end: no bracket
    if (!OPENING.includes(after) && !CLOSING.includes(before)) return at + 1;
  }
  return text.length;
}

/** Shortest indicators: "a.co" (4) has a dot, "::1" a colon, a hash is 32 long; anything else cannot hold one. */
function mayHoldIndicator(text: string): boolean {
  if (text.length < 3) return false;
  if (text.length >= 32) return true;
  return text.includes('.') || text.includes(':') || text.includes('[') || text.includes('(') || text.includes('\\');
}

export interface ExtractOptions {
  allowlist?: Allowlist | AllowlistSettings;
  /** Also return private, reserved and allowlisted indicators, with their skip reason (default false). */
  includeSkipped?: boolean;
}

export interface ExtractedIndicator {
  type: IndicatorType;
  value: string;
  /** Occurrences in the text. */
  count: number;
  skip: SkipReason | null;
}

/** The distinct indicators in a text, after refanging and filtering, most frequent first. */
export function extractIndicators(text: string, opts: ExtractOptions = {}): ExtractedIndicator[] {
  const allowlist = opts.allowlist instanceof Allowlist ? opts.allowlist : new Allowlist(opts.allowlist);
  const scanner = new IndicatorScanner(allowlist);
  const counts: number[] = [];
  scanner.scan(text, (id) => {
    counts[id] = (counts[id] ?? 0) + 1;
  });
  const found: ExtractedIndicator[] = [];
  for (let id = 0; id < scanner.size; id++) {
    const c = scanner.indicator(id);
    if (c.skip && !opts.includeSkipped) continue;
    found.push({ type: c.type, value: c.value, count: counts[id]!, skip: c.skip });
  }
  return found.sort((a, b) => b.count - a.count);
}
