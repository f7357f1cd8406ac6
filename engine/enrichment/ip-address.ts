import { isIPv6 } from 'node:net';

/**
 * IP parsing, canonical forms and CIDR matching. IPv4 addresses are uint32
 * numbers (cheap, and most of what logs hold); IPv6 addresses are 128-bit bigints.
 */

export interface Cidr {
  version: 4 | 6;
  /** The network address, masked. */
  base: bigint;
  prefix: number;
}

const IPV4 = /^(25[0-5]|2[0-4]\d|1\d\d|[1-9]?\d)\.(25[0-5]|2[0-4]\d|1\d\d|[1-9]?\d)\.(25[0-5]|2[0-4]\d|1\d\d|[1-9]?\d)\.(25[0-5]|2[0-4]\d|1\d\d|[1-9]?\d)$/;

/** Strict dotted quad (no leading zeros, which some parsers read as octal). */
export function parseIPv4(text: string): number | null {
  const m = IPV4.exec(text);
  if (!m) return null;
  return ((Number(m[1]) << 24) | (Number(m[2]) << 16) | (Number(m[3]) << 8) | Number(m[4])) >>> 0;
}

export const formatIPv4 = (n: number): string => `${n >>> 24}.${(n >>> 16) & 255}.${(n >>> 8) & 255}.${n & 255}`;

export function parseIPv6(text: string): bigint | null {
  if (!isIPv6(text) || text.includes('%')) return null;
  let head = text;
  let tail32: number | null = null;
  const lastColon = text.lastIndexOf(':');
  if (text.indexOf('.', lastColon) > 0) {
    tail32 = parseIPv4(text.slice(lastColon + 1));
    if (tail32 === null) return null;
    head = `${text.slice(0, lastColon + 1)}0:0`;
  }
  const [left, right] = head.split('::') as [string, string | undefined];
  const leftGroups = left ? left.split(':') : [];
  const rightGroups = right ? right.split(':') : [];
  const missing = 8 - leftGroups.length - rightGroups.length;
  const groups = right === undefined ? leftGroups : [...leftGroups, ...Array<string>(missing).fill('0'), ...rightGroups];
  if (groups.length !== 8) return null;
  let value = 0n;
  for (const g of groups) value = (value << 16n) | BigInt(parseInt(g, 16));
  if (tail32 !== null) value = (value & ~0xffffffffn) | BigInt(tail32);
  return value;
}

/** RFC 5952: lower case, leading zeros dropped, the longest run of two or more zero groups as "::". */
export function formatIPv6(value: bigint): string {
  const groups: number[] = [];
  for (let i = 7; i >= 0; i--) groups.push(Number((value >> BigInt(i * 16)) & 0xffffn));
  let bestStart = -1;
  let bestLen = 1;
  for (let i = 0; i < 8; ) {
    if (groups[i] !== 0) {
      i++;
      continue;
    }
    let j = i;
    while (j < 8 && groups[j] === 0) j++;
    if (j - i > bestLen) [bestStart, bestLen] = [i, j - i];
    i = j;
  }
  const hex = groups.map((g) => g.toString(16));
  if (bestStart < 0) return hex.join(':');
  return `${hex.slice(0, bestStart).join(':')}::${hex.slice(bestStart + bestLen).join(':')}`;
}

export function parseCidr(text: string): Cidr | null {
  const slash = text.indexOf('/');
  const addr = slash < 0 ? text.trim() : text.slice(0, slash).trim();
  const v4 = parseIPv4(addr);
  const version: 4 | 6 = v4 !== null ? 4 : 6;
  const value = v4 !== null ? BigInt(v4) : parseIPv6(addr);
  if (value === null) return null;
  const bits = version === 4 ? 32 : 128;
  const prefix = slash < 0 ? bits : Number(text.slice(slash + 1).trim());
  if (!Number.isInteger(prefix) || prefix < 0 || prefix > bits) return null;
  return { version, base: value & maskOf(bits, prefix), prefix };
}

const maskOf = (bits: number, prefix: number): bigint => ((1n << BigInt(bits)) - 1n) ^ ((1n << BigInt(bits - prefix)) - 1n);

/** A set of networks, matched with one masked comparison per prefix length in use. */
export class CidrSet {
  private readonly v4 = new Map<number, Set<number>>();
  private readonly v6 = new Map<number, Set<bigint>>();

  constructor(cidrs: Iterable<Cidr>) {
    for (const c of cidrs) {
      if (c.version === 4) {
        const set = this.v4.get(c.prefix) ?? new Set<number>();
        set.add(Number(c.base));
        this.v4.set(c.prefix, set);
      } else {
        const set = this.v6.get(c.prefix) ?? new Set<bigint>();
        set.add(c.base);
        this.v6.set(c.prefix, set);
      }
    }
  }

  get size(): number {
    let n = 0;
    for (const s of this.v4.values()) n += s.size;
    for (const s of this.v6.values()) n += s.size;
    return n;
  }

  hasV4(ip: number): boolean {
    for (const [prefix, bases] of this.v4) {
      // `x << 32` is a no-op in JavaScript, so /0 gets its mask spelt out.
      const mask = prefix === 0 ? 0 : (0xffffffff << (32 - prefix)) >>> 0;
      if (bases.has((ip & mask) >>> 0)) return true;
    }
    return false;
  }

  hasV6(ip: bigint): boolean {
    for (const [prefix, bases] of this.v6) if (bases.has(ip & maskOf(128, prefix))) return true;
    return false;
  }
}

const cidrs = (list: string[]): Cidr[] => list.map((c) => parseCidr(c)!);

/** IANA special-purpose IPv4 blocks: never routed on the public internet, so never worth asking about. */
const NON_PUBLIC_V4 = new CidrSet(cidrs([
  '0.0.0.0/8', '10.0.0.0/8', '100.64.0.0/10', '127.0.0.0/8', '169.254.0.0/16', '172.16.0.0/12',
  '192.0.0.0/24', '192.0.2.0/24', '192.88.99.0/24', '192.168.0.0/16', '198.18.0.0/15',
  '198.51.100.0/24', '203.0.113.0/24', '224.0.0.0/4', '240.0.0.0/4',
]));

/** Inside global unicast (2000::/3), the blocks that are documentation, protocol assignments or tunnels. */
const NON_PUBLIC_V6 = new CidrSet(cidrs(['2001::/23', '2001:db8::/32', '2002::/16', '3fff::/20']));
const GLOBAL_UNICAST = parseCidr('2000::/3')!;
const V4_MAPPED = parseCidr('::ffff:0:0/96')!;

export const isPublicIPv4 = (ip: number): boolean => !NON_PUBLIC_V4.hasV4(ip);

export function isPublicIPv6(ip: bigint): boolean {
  if ((ip & maskOf(128, GLOBAL_UNICAST.prefix)) !== GLOBAL_UNICAST.base) return false;
  return !NON_PUBLIC_V6.hasV6(ip);
}

/** An IPv4-mapped IPv6 address (::ffff:a.b.c.d) names an IPv4 host; returns it, or null. */
export function mappedIPv4(ip: bigint): number | null {
  return (ip & maskOf(128, V4_MAPPED.prefix)) === V4_MAPPED.base ? Number(ip & 0xffffffffn) : null;
}
