import { describe, expect, it } from 'vitest';
import { canonicalUrl, trimUrl } from '../../../engine/enrichment/url-canonical.js';

describe('canonical URLs', () => {
  it.each([
    'http://Evil-Site.COM',
    'HTTPS://evil-site.com/Path/To/File.exe?Q=1&r=2#Frag',
    'http://evil-site.com?x=1',
    'http://evil-site.com#top',
    'http://evil-site.com:80/a',
    'https://evil-site.com:443/a',
    'https://evil-site.com:8443/a',
    'http://evil-site.com:0080/a',
    'ftp://files.evil-site.com/pub/x.zip',
    'http://45.33.32.156/gate.php',
    'http://[2606:4700:0::1111]:8080/x',
    'http://evil-site.com/a/./b/../c',
    'http://evil-site.com/%7euser/%41',
    "http://evil-site.com/?q='x'",
    'http://evil-site.com/a^b',
    'http://bücher.de/x',
    'http://evil-site.com/ü',
  ])('%s is serialised as the URL parser does', (input) => {
    const whatwg = new URL(input);
    expect(canonicalUrl(input)).toEqual({ href: whatwg.href, hostname: whatwg.hostname });
  });

  it('drops credentials on both paths', () => {
    expect(canonicalUrl('https://admin:hunter2@evil-site.com/x')).toEqual({ href: 'https://evil-site.com/x', hostname: 'evil-site.com' });
    expect(canonicalUrl('https://admin:hunter2@evil-site.com/%41')!.href).toBe('https://evil-site.com/%41');
  });

  it('refuses other schemes and unparsable text', () => {
    expect(canonicalUrl('javascript://alert(1)')).toBeNull();
    expect(canonicalUrl('http://')).toBeNull();
  });

  it('trims sentence punctuation and unbalanced brackets only', () => {
    expect(trimUrl('http://a.io/x).')).toBe('http://a.io/x');
    expect(trimUrl('http://a.io/f(x)')).toBe('http://a.io/f(x)');
    expect(trimUrl('http://a.io/x?y=1,')).toBe('http://a.io/x?y=1');
  });
});
