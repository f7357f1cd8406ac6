import { describe, expect, it } from 'vitest';
import { LogsResponseParser, type ParseEvent } from '../../../connectors/sources/log-analytics/response-parser.js';

/** Feeds `body` in chunks of the given sizes (cycled) and returns every event. */
function parse(body: string, sizes: number[], batchRows = 7): ParseEvent[] {
  const p = new LogsResponseParser({ batchRows, keepNumberText: (t) => t === 'long' });
  const buf = Buffer.from(body);
  const events: ParseEvent[] = [];
  for (let i = 0, k = 0; i < buf.length; k++) {
    const n = sizes[k % sizes.length]!;
    p.push(buf.subarray(i, i + n));
    events.push(...p.take());
    i += n;
  }
  p.end();
  return events;
}

const rowsOf = (events: ParseEvent[], table = 0): unknown[][] =>
  events.flatMap((e) => (e.kind === 'rows' && e.table === table ? e.rows : []));

// Strings built to break naive scanners: escaped quotes, backslash runs, brackets and commas inside strings, multi-byte text.
const tricky = ['\\', '\\\\', '"', '\\"', 'a\\\\"b', '[', ']', '],[', '{"x":"}"}', 'ünïcödé ✓ 🦊', ''];
const rows = Array.from({ length: 60 }, (_, i) => [tricky[i % tricky.length], i, i % 4 ? `${i}` : null, { nested: [tricky[(i + 3) % tricky.length]] }]);
const body = JSON.stringify({
  tables: [{ name: 'PrimaryResult', columns: [{ name: 's', type: 'string' }, { name: 'n', type: 'long' }, { name: 't', type: 'string' }, { name: 'd', type: 'dynamic' }], rows }],
  error: { code: 'PartialError', message: 'm', details: [{ innererror: { message: 'inner "quoted" ]' } }] },
});

describe('LogsResponseParser', () => {
  it.each([[[1]], [[2, 3]], [[5]], [[13, 1, 64]], [[4096]], [[1 << 20]]])('reads the same rows whatever the chunk sizes %j', (sizes) => {
    const events = parse(body, sizes);
    expect(rowsOf(events)).toEqual(rows);
    expect(events.find((e) => e.kind === 'table')).toMatchObject({ index: 0, name: 'PrimaryResult' });
    expect(events.find((e) => e.kind === 'error')).toMatchObject({ error: { details: [{ innererror: { message: 'inner "quoted" ]' } }] } });
    expect(Math.max(...events.filter((e) => e.kind === 'rows').map((e) => (e.kind === 'rows' ? e.rows.length : 0)))).toBeLessThanOrEqual(7);
  });

  it('keeps every digit of long numbers that a double cannot hold, whatever the chunking', () => {
    const text = '{"tables":[{"name":"T","columns":[{"name":"a","type":"long"},{"name":"b","type":"real"}],"rows":[[9007199254740993,1.5],[-12345678901234567890,2],[42,12345678901234567890]]}]}';
    for (const sizes of [[1], [3], [1000]]) {
      expect(rowsOf(parse(text, sizes))).toEqual([['9007199254740993', 1.5], ['-12345678901234567890', 2], [42, 12345678901234567000]]);
    }
  });

  it('holds rows that arrive before their columns until the columns come', () => {
    const text = '{"tables":[{"rows":[[1],[2]],"name":"T","columns":[{"name":"x","type":"int"}]}]}';
    const events = parse(text, [4]);
    expect(events.map((e) => e.kind)).toEqual(['table', 'rows']);
    expect(rowsOf(events)).toEqual([[1], [2]]);
  });

  it('rejects a body cut off in the middle', () => {
    expect(() => parse(body.slice(0, body.length / 2), [100])).toThrow(/ended before the JSON document did/);
  });
});
