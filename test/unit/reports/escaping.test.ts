import { describe, expect, it } from 'vitest';
import { html, escapeHtml, trusted } from '../../../engine/reports/html-escape.js';
import { displayText, webLink, formatTime, formatSpan } from '../../../engine/reports/format.js';
import { mdCode, mdText } from '../../../engine/reports/markdown.js';

describe('HTML escaping', () => {
  it('escapes every interpolated value, in text and attributes, unless it is trusted markup', () => {
    const cell = '"><img src=x onerror=alert(1)><script>x</script>\'`&';
    expect(html`<td title="${cell}">${cell}</td>`.value).toBe(
      '<td title="&quot;&gt;&lt;img src=x onerror=alert(1)&gt;&lt;script&gt;x&lt;/script&gt;&#39;&#96;&amp;">&quot;&gt;&lt;img src=x onerror=alert(1)&gt;&lt;script&gt;x&lt;/script&gt;&#39;&#96;&amp;</td>',
    );
    expect(html`<p>${[html`<b>${'<i>'}</b>`, '<u>']}</p>`.value).toBe('<p><b>&lt;i&gt;</b>&lt;u&gt;</p>');
    expect(html`${trusted('<br>')}${null}${undefined}${false}${0}`.value).toBe('<br>0');
    expect(escapeHtml('a<b')).toBe('a&lt;b');
  });

  it('links only web addresses', () => {
    expect(webLink('https://www.virustotal.com/gui/ip-address/1.2.3.4')).toBe('https://www.virustotal.com/gui/ip-address/1.2.3.4');
    for (const bad of ['javascript:alert(1)', 'JaVaScRiPt:alert(1)', 'data:text/html,<script>', 'file:///etc/passwd', 'vbscript:x', 'not a url', null, '']) {
      expect(webLink(bad)).toBeNull();
    }
  });

  it('shows control and bidirectional-override characters instead of letting them reorder text', () => {
    expect(displayText('invoice\u202Etxt.exe')).toBe('invoice\\u202etxt.exe');
    expect(displayText('a\u0000b\u001bc\td')).toBe('a\\u0000b\\u001bc\td');
    expect(displayText('x'.repeat(300), 10)).toBe(`${'x'.repeat(9)}…`);
  });

  it('formats times in UTC, labelled, and bucket widths in words', () => {
    expect(formatTime('2026-01-05T10:00:00.123Z')).toBe('2026-01-05 10:00:00 UTC');
    expect(formatTime('2026-01-05T11:00:00+01:00')).toBe('2026-01-05 10:00:00 UTC');
    expect(formatTime(null)).toBe('—');
    expect(formatSpan(600_000)).toBe('10 min');
    expect(formatSpan(3_600_000)).toBe('hour');
    expect(formatSpan(2 * 86_400_000)).toBe('2 days');
  });
});

describe('Markdown escaping', () => {
  it('keeps prose from becoming markup, links or block structure', () => {
    expect(mdText('**bold** [x](http://evil) <img src=x> a|b')).toBe('\\*\\*bold\\*\\* \\[x\\](http\\://evil) \\<img src=x\\> a\\|b');
    expect(mdText('# not a heading')).toBe('\\# not a heading');
    expect(mdText('1. not a list')).toBe('1\\. not a list');
    expect(mdText('- not a list\n# nor this')).toBe('\\- not a list # nor this'); // joined: mid-line # is text
    expect(mdText('see www.evil.example')).toBe('see www\\.evil.example');
  });

  it('puts values in code spans whose fence outlasts any backticks inside', () => {
    expect(mdCode('plain')).toBe('`plain`');
    expect(mdCode('a`b')).toBe('``a`b``');
    expect(mdCode('`x`')).toBe('`` `x` ``');
    expect(mdCode('a|b\nc')).toBe('`a\\|b c`');
  });
});
