import { describe, expect, it } from 'vitest';
import { timelineSvg } from '../../../engine/reports/svg.js';
import { prose } from '../../../engine/reports/html-sections.js';

const attr = (markup: string, name: string): number[] => [...markup.matchAll(new RegExp(`<rect class="bar"[^>]* ${name}="([\\d.]+)"`, 'g'))].map((m) => Number(m[1]));

describe('report timeline chart', () => {
  it('draws a result whose rows all fall in one second as one narrow bar in the middle, not a wall', () => {
    const svg = timelineSvg({ column: 'TimeGenerated', start: '2026-11-27T08:04:33.000Z', end: '2026-11-27T08:04:34.000Z', bucketMs: 1000, counts: [1] }, 'Rows').value;
    const [width] = attr(svg, 'width');
    const [x] = attr(svg, 'x');
    expect(attr(svg, 'width')).toHaveLength(1);
    const plot = 960 - 56 - 16;
    expect(width!).toBeLessThan(plot / 20);
    expect(x! - 56).toBeGreaterThan(plot / 3);
    expect(x! - 56 + width!).toBeLessThan((2 * plot) / 3);
    // The axis names the times around the bar; the caption keeps the data's own extent.
    expect(svg).toContain('>08:04:32<');
    expect(svg).toContain('>08:04:36<');
    expect(svg).toContain('1 from 2026-11-27 08:04:33 UTC to 2026-11-27 08:04:34 UTC');
  });

  it('leaves a chart with enough buckets as it is: one slot per bucket, first bar at the axis start', () => {
    const counts = Array.from({ length: 48 }, (_, i) => i + 1);
    const svg = timelineSvg({ column: 't', start: '2026-01-05T00:00:00.000Z', end: '2026-01-07T00:00:00.000Z', bucketMs: 3_600_000, counts }, 'Rows').value;
    const xs = attr(svg, 'x');
    expect(xs).toHaveLength(48);
    expect(xs[0]!).toBeLessThan(58);
    expect(svg).toContain('>01-05 00:00<');
  });
});

describe('hunt descriptions in the report', () => {
  it('reflows hard-wrapped lines, keeps paragraphs and list lines, and escapes the text', () => {
    const text = 'One address failing to sign in\nto many accounts.\n\nEscalate when:\n- an account then signs in\n- <b>MFA</b> is skipped\n';
    expect(prose(text).value).toBe(
      '<div class="description"><p>One address failing to sign in to many accounts.</p><p>Escalate when:<br>- an account then signs in<br>- &lt;b&gt;MFA&lt;/b&gt; is skipped</p></div>',
    );
  });
});
