import { describe, expect, it } from 'vitest';
import { RowPacker, packRows, unpackRows } from '../../../engine/runs/packed-rows.js';
import type { StoredValue } from '../../../engine/types.js';

describe('packed rows', () => {
  it('give back every kind of stored value as it went in', () => {
    const rows: StoredValue[][] = [
      [null, 0, -0.5, 'plain ascii'],
      [Number.MAX_SAFE_INTEGER, 2n ** 63n - 1n, '', Buffer.from([0, 255, 16])],
      [-(2n ** 63n), 1e300, 'héllo wörld', '𝒳 emoji 🛡️ and CJK 中文'],
      [Infinity, -Infinity, `${'a'.repeat(200)}é`, 'x'.repeat(70_000)],
    ];
    const batch = packRows(rows, 4);
    expect(batch.rows).toBe(4);
    expect(unpackRows(batch)).toEqual(rows);
  });

  it('keep a datetime as ISO 8601 UTC text to the millisecond', () => {
    const p = new RowPacker(2);
    p.epochMs(Date.UTC(2026, 2, 6, 17, 30, 0, 123));
    p.epochMs(0);
    p.endRow();
    expect(unpackRows(p.take())).toEqual([['2026-03-06T17:30:00.123Z', '1970-01-01T00:00:00.000Z']]);
  });

  it('lower-case text as they copy it, ASCII or not (GUIDs)', () => {
    const p = new RowPacker(2);
    p.lowerText('0B2F8A6E-1C4D-4F7A-9A1B-00000000000A');
    p.lowerText('ÉTÉ-ABC');
    p.endRow();
    expect(unpackRows(p.take())).toEqual([['0b2f8a6e-1c4d-4f7a-9a1b-00000000000a', 'été-abc']]);
  });

  it('grow past their first buffer and start afresh after each batch', () => {
    const p = new RowPacker(2);
    for (let i = 0; i < 50_000; i++) {
      p.number(i);
      p.text(`user${i}@contoso.com`);
      p.endRow();
    }
    const first = p.take();
    expect(first.bytes).toBeGreaterThan(256 * 1024);
    p.text('next');
    p.null();
    p.endRow();
    const second = p.take();
    const rows = unpackRows(first);
    expect(rows).toHaveLength(50_000);
    expect(rows[49_999]).toEqual([49_999, 'user49999@contoso.com']);
    expect(unpackRows(second)).toEqual([['next', null]]);
  });

  it('refuse a row with the wrong number of values, and a batch cut inside a row', () => {
    const p = new RowPacker(3);
    p.number(1);
    expect(() => p.endRow()).toThrow(/1 values for 3 columns/);
    expect(() => p.take()).toThrow(/inside a row/);
  });
});
