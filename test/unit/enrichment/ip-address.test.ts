import { describe, expect, it } from 'vitest';
import {
  CidrSet, formatIPv6, isPublicIPv4, isPublicIPv6, parseCidr, parseIPv4, parseIPv6,
} from '../../../engine/enrichment/ip-address.js';
import { Allowlist } from '../../../engine/enrichment/allowlist.js';

describe('IP addresses', () => {
  it('parses strict dotted quads only', () => {
    expect(parseIPv4('8.8.4.4')).toBe(0x08080404);
    expect(parseIPv4('255.255.255.255')).toBe(0xffffffff);
    for (const bad of ['256.1.1.1', '01.2.3.4', '1.2.3', '1.2.3.4.5', ' 1.2.3.4']) expect(parseIPv4(bad)).toBeNull();
  });

  it.each([
    ['2001:0DB8:0000:0000:0000:0000:0000:0001', '2001:db8::1'],
    ['2001:db8:0:1:1:1:1:1', '2001:db8:0:1:1:1:1:1'],
    ['2001:db8:0:0:1:0:0:1', '2001:db8::1:0:0:1'],
    ['::', '::'],
    ['::ffff:1.2.3.4', '::ffff:102:304'],
    ['fe80::', 'fe80::'],
  ])('formats %s as %s (RFC 5952)', (input, expected) => {
    expect(formatIPv6(parseIPv6(input)!)).toBe(expected);
  });

  it('rejects malformed IPv6 and zone ids', () => {
    for (const bad of ['1::2::3', '12345::1', 'fe80::1%eth0', '10:30:00', 'g::1']) expect(parseIPv6(bad)).toBeNull();
  });

  it('knows public from special-purpose addresses', () => {
    expect(isPublicIPv4(parseIPv4('45.33.32.156')!)).toBe(true);
    expect(isPublicIPv4(parseIPv4('100.63.255.255')!)).toBe(true);
    expect(isPublicIPv4(parseIPv4('100.64.0.0')!)).toBe(false);
    expect(isPublicIPv4(parseIPv4('172.32.0.1')!)).toBe(true);
    expect(isPublicIPv4(parseIPv4('172.31.255.255')!)).toBe(false);
    expect(isPublicIPv6(parseIPv6('2606:4700::1111')!)).toBe(true);
    expect(isPublicIPv6(parseIPv6('2001:db8:ffff::1')!)).toBe(false);
    expect(isPublicIPv6(parseIPv6('fc00::1')!)).toBe(false);
  });

  it('matches CIDRs of both families, /0 and host routes included', () => {
    const set = new CidrSet(['10.20.0.0/16', '0.0.0.0/0', '2a01:111::/32', '2a02::5/128'].map((c) => parseCidr(c)!));
    expect(set.hasV4(parseIPv4('1.2.3.4')!)).toBe(true);
    expect(set.hasV6(parseIPv6('2a01:111:f400::1')!)).toBe(true);
    expect(set.hasV6(parseIPv6('2a01:112::1')!)).toBe(false);
    expect(set.hasV6(parseIPv6('2a02::5')!)).toBe(true);
    expect(set.hasV6(parseIPv6('2a02::6')!)).toBe(false);
    const narrow = new CidrSet([parseCidr('10.20.0.0/16')!]);
    expect(narrow.hasV4(parseIPv4('10.20.255.1')!)).toBe(true);
    expect(narrow.hasV4(parseIPv4('10.21.0.1')!)).toBe(false);
  });

  it('masks the host bits of a network given with them set', () => {
    expect(parseCidr('10.20.30.40/16')).toEqual({ version: 4, base: BigInt(parseIPv4('10.20.0.0')!), prefix: 16 });
    expect(parseCidr('10.0.0.0/33')).toBeNull();
  });

  it('refuses an allowlist entry that is not a network, naming it', () => {
    expect(() => new Allowlist({ domains: [], cidrs: ['10.0.0.0/8', 'corp-net'] })).toThrow(/"corp-net" is not an IPv4 or IPv6 network/);
  });
});
