import { describe, expect, it } from 'vitest';
import { extractIndicators, type ExtractedIndicator } from '../../../engine/enrichment/extract.js';
import { refang } from '../../../engine/enrichment/refang.js';

const values = (list: ExtractedIndicator[], type?: string): string[] =>
  list.filter((i) => !type || i.type === type).map((i) => i.value).sort();

describe('refang', () => {
  it.each([
    ['hxxp://evil-site.com/a', 'http://evil-site.com/a'],
    ['hXXps://evil-site.com', 'https://evil-site.com'],
    ['hxxps[:]//evil-site[.]com', 'https://evil-site.com'],
    ['http[://]evil-site.com', 'http://evil-site.com'],
    ['fxp://files.evil-site.com', 'ftp://files.evil-site.com'],
    ['evil-site(.)com', 'evil-site.com'],
    ['evil-site{.}com', 'evil-site.com'],
    ['evil-site[dot]com', 'evil-site.com'],
    ['evil-site (dot) com', 'evil-site.com'],
    ['evil-site [DOT] com', 'evil-site.com'],
    ['evil-site\\.com', 'evil-site.com'],
    ['45.33.32[.]156', '45.33.32.156'],
    ['victim[@]evil-site.com', 'victim@evil-site.com'],
    ['victim(at)evil-site.com', 'victim@evil-site.com'],
    ['victim [at] evil-site[.]com', 'victim@evil-site.com'],
    ['http://evil-site.com[/]x', 'http://evil-site.com/x'],
  ])('%s -> %s', (input, expected) => {
    expect(refang(input)).toBe(expected);
  });

  it('leaves prose alone: bare "at" and "dot" are words, not separators', () => {
    expect(refang('look at evil-site.com and the dot product')).toBe('look at evil-site.com and the dot product');
    expect(refang('(at least) [see above]')).toBe('(at least) [see above]');
  });
});

describe('extractIndicators', () => {
  it('finds each kind once, with occurrence counts, most frequent first', () => {
    const text = [
      'conn 45.33.32.156:443 -> 45.33.32.156 again, 185.220.101.4',
      'GET https://malware-drop.net/stage2.bin?id=7 from malware-drop.net',
      'md5 44D88612FEA8A8F36DE82E1278ABB02F sha1 3395856ce81f2b7382dee72602f798b642f14140',
      'sha256 275a021bbfb6489e54d471899f7db9d1663fc695ec2fe2a2c4538aabf651fd0f mail phisher@bad-sender.org',
    ].join('\n');
    const found = extractIndicators(text);
    expect(found[0]).toEqual({ type: 'ipv4', value: '45.33.32.156', count: 2, skip: null });
    expect(values(found, 'ipv4')).toEqual(['185.220.101.4', '45.33.32.156']);
    expect(values(found, 'url')).toEqual(['https://malware-drop.net/stage2.bin?id=7']);
    expect(found.find((i) => i.value === 'malware-drop.net')).toMatchObject({ type: 'domain', count: 2 });
    expect(values(found, 'md5')).toEqual(['44d88612fea8a8f36de82e1278abb02f']);
    expect(values(found, 'sha1')).toEqual(['3395856ce81f2b7382dee72602f798b642f14140']);
    expect(values(found, 'sha256')).toEqual(['275a021bbfb6489e54d471899f7db9d1663fc695ec2fe2a2c4538aabf651fd0f']);
    expect(values(found, 'email')).toEqual(['phisher@bad-sender.org']);
  });

  it('refangs defanged text before extracting', () => {
    const found = extractIndicators('C2 at hxxps://update-check[.]xyz/gate.php and 91.219.236[.]18, reply to boss[@]ceo-fraud(.)biz');
    expect(values(found)).toEqual([
      '91.219.236.18', 'boss@ceo-fraud.biz', 'https://update-check.xyz/gate.php', 'update-check.xyz',
    ]);
  });

  it.each([
    ['evil-site [dot] com', 'domain:evil-site.com'],
    ['evil-site(.)com/x', 'domain:evil-site.com'],
    ['hxxps[:]//evil-site[.]com/a[/]b', 'url:https://evil-site.com/a/b'],
    ['http[://]evil-site.com', 'url:http://evil-site.com/'],
    ['fxp://files.evil-site.com/x', 'url:ftp://files.evil-site.com/x'],
    ['boss (at) ceo-fraud[.]biz', 'email:boss@ceo-fraud.biz'],
    ['evil-site\\.com', 'domain:evil-site.com'],
    ['45[.]33[.]32[.]156', 'ipv4:45.33.32.156'],
  ])('extracts defanged %s', (text, expected) => {
    expect(extractIndicators(text).map((i) => `${i.type}:${i.value}`)).toContain(expected);
  });

  it('splits tokens joined by colons: key:value, host:port, mailto:', () => {
    const found = extractIndicators('src:45.33.32.156 dst=185.220.101.4:8443 host evil-site.com:443 mailto:boss@ceo-fraud.biz sha256:275a021bbfb6489e54d471899f7db9d1663fc695ec2fe2a2c4538aabf651fd0f');
    expect(values(found)).toEqual([
      '185.220.101.4', '275a021bbfb6489e54d471899f7db9d1663fc695ec2fe2a2c4538aabf651fd0f', '45.33.32.156', 'boss@ceo-fraud.biz', 'evil-site.com',
    ]);
  });

  it('reads a sample named after its hash as that hash', () => {
    expect(extractIndicators('dropped 44d88612fea8a8f36de82e1278abb02f.exe').map((i) => [i.type, i.value])).toEqual([
      ['md5', '44d88612fea8a8f36de82e1278abb02f'],
    ]);
  });

  it('stays linear on long runs of dashes, base64 and dotted garbage', () => {
    const text = `${'a-'.repeat(100_000)} ${'QUJD+/'.repeat(50_000)} ${'x.'.repeat(100_000)} evil-site.com`;
    expect(values(extractIndicators(text))).toEqual(['evil-site.com']);
  });

  it('reads IPv6 in its canonical compressed form, including bracketed and with a port', () => {
    const found = extractIndicators(
      'from 2606:4700:4700:0000:0000:0000:0000:1111 and [2a00:1450:4001:82b::200e]:443 and 2606:4700:4700::1111 at 10:30:00',
    );
    expect(values(found, 'ipv6')).toEqual(['2606:4700:4700::1111', '2a00:1450:4001:82b::200e']);
    expect(found.find((i) => i.value === '2606:4700:4700::1111')!.count).toBe(2);
  });

  it('takes an IPv4-mapped IPv6 address for the IPv4 host it names', () => {
    expect(values(extractIndicators('peer ::ffff:45.33.32.156'))).toEqual(['45.33.32.156']);
  });

  it('rejects names without a valid public suffix, and file names', () => {
    const found = extractIndicators('ran payload.exe, notes.docx, server01.corp.local, printer.lan, setup.py, README.md, a.b');
    expect(found).toEqual([]);
  });

  it('keeps a real domain whose suffix looks like an extension once it has a subdomain', () => {
    expect(values(extractIndicators('cdn.payload-host.sh'))).toEqual(['cdn.payload-host.sh']);
  });

  it('does not read version numbers, OIDs, timestamps, MAC addresses or long numbers as addresses', () => {
    const found = extractIndicators('v1.2.3.4.5 oid 1.3.6.1.4.1 at 2026-03-10T12:00:00Z mac 00:1a:2b:3c:4d:5e id 300.1.1.1 n 1234567890');
    expect(found).toEqual([]);
  });

  it('skips private, loopback, link-local, CGNAT, multicast, documentation and reserved ranges by default', () => {
    const text = [
      '10.1.2.3 172.16.9.9 192.168.1.1 127.0.0.1 169.254.10.10 100.64.1.1 224.0.0.251 239.1.1.1',
      '192.0.2.10 198.51.100.7 203.0.113.99 240.0.0.1 255.255.255.255 0.1.2.3 198.18.0.5',
      '::1 fe80::1 fd12:3456::1 ff02::1 2001:db8::1 3fff::1 ::',
      'www.example.com mail.example.org lab.test',
    ].join(' ');
    expect(extractIndicators(text)).toEqual([]);
    const all = extractIndicators(text, { includeSkipped: true });
    expect(all.length).toBeGreaterThan(20);
    expect(all.every((i) => i.skip === 'non_public')).toBe(true);
  });

  it('marks a URL by its host: a private or allowlisted host keeps the URL home too', () => {
    const found = extractIndicators('http://10.0.0.8/admin https://intranet.contoso-corp.com/x', {
      allowlist: { domains: ['contoso-corp.com'], cidrs: [] },
      includeSkipped: true,
    });
    expect(found.filter((i) => i.type === 'url').map((i) => [i.value, i.skip])).toEqual([
      ['http://10.0.0.8/admin', 'non_public'],
      ['https://intranet.contoso-corp.com/x', 'allowlisted'],
    ]);
  });

  it('filters the allowlist: domains with their subdomains and mail addresses, IPv4 and IPv6 networks', () => {
    const text = 'contoso-corp.com vpn.eu.contoso-corp.com ceo@contoso-corp.com 52.10.20.30 2603:1020:201::5 notcontoso-corp.com 52.11.0.1';
    const allowlist = { domains: ['*.contoso-corp.com'], cidrs: ['52.10.0.0/16', '2603:1020::/32'] };
    expect(values(extractIndicators(text, { allowlist }))).toEqual(['52.11.0.1', 'notcontoso-corp.com']);
    const skipped = extractIndicators(text, { allowlist, includeSkipped: true }).filter((i) => i.skip === 'allowlisted');
    expect(values(skipped)).toEqual(['2603:1020:201::5', '52.10.20.30', 'ceo@contoso-corp.com', 'contoso-corp.com', 'vpn.eu.contoso-corp.com']);
  });

  it('drops credentials embedded in a URL and trims sentence punctuation', () => {
    const found = extractIndicators('see (https://admin:hunter2@files.bad-host.io/a/b). Then http://bad-host.io/x?y=1, done');
    expect(values(found, 'url')).toEqual(['http://bad-host.io/x?y=1', 'https://files.bad-host.io/a/b']);
    expect(JSON.stringify(found)).not.toContain('hunter2');
  });

  it('ignores placeholder hashes and does not split longer hex runs into hashes', () => {
    const found = extractIndicators(`${'0'.repeat(32)} ${'a'.repeat(64)} ${'ab12'.repeat(12)}`);
    expect(found).toEqual([]);
  });

  it('reads punycode domains and lower-cases names', () => {
    expect(values(extractIndicators('Visit XN--80AK6AA92E.COM or Evil-Site.NET'))).toEqual(['evil-site.net', 'xn--80ak6aa92e.com']);
  });
});

describe('extractIndicators on a large text', () => {
  it('finds the same indicators piece by piece as in one go, also where a defanged separator touches a line break', () => {
    // A line break next to a defanged separator is part of one candidate ("evil-1.com\n[.]x" as a whole): a
    // piece must never end there, or "evil-1.com" would be found alone.
    // Nearly every line break here is such a one, so a piece boundary lands next to many of them.
    const records = Array.from({ length: 60 }, (_, i) => `see evil-${i}.com\n[.]x login from 203.0.113.${i} bad-${i} [.] net `).join('');
    const block = `${records}\nquiet line\n`;
    const once = extractIndicators(block, { includeSkipped: true });
    expect(once.map((x) => x.value)).toEqual(expect.arrayContaining(['203.0.113.7', 'bad-7.net']));
    const times = Math.ceil((1.5 * 2 ** 20) / block.length); // far past one scan piece
    const large = extractIndicators(block.repeat(times), { includeSkipped: true });
    const byValue = (xs: ExtractedIndicator[]) => Object.fromEntries(xs.map((x) => [`${x.type}:${x.value}`, x.count]));
    expect(byValue(large)).toEqual(Object.fromEntries(Object.entries(byValue(once)).map(([k, n]) => [k, n * times])));
  });
});
