import type { StoredValue } from '../types.js';
import type { GroupedInsert } from '../store/grouped-insert.js';
import { forEachPackedValue, type PackedRows } from './packed-rows.js';

/**
 * Inserts a packed batch through a grouped INSERT: values go from the buffer
 * into the statement's argument array, a group at a time, with no row arrays
 * in between. The caller wraps it in a transaction.
 */
export function insertPackedRows(insert: GroupedInsert, batch: PackedRows): void {
  const { width, rows } = batch;
  if (rows === 0) return;
  const groupValues = insert.groupRows * width;
  const groupedValues = Math.floor(rows / insert.groupRows) * groupValues;
  const group: StoredValue[] = new Array<StoredValue>(groupValues);
  const single: StoredValue[] = new Array<StoredValue>(width);
  let seen = 0;
  let k = 0;
  forEachPackedValue(batch, (v) => {
    if (seen++ < groupedValues) {
      group[k++] = v;
      if (k === groupValues) {
        insert.group.run(group);
        k = 0;
      }
    } else {
      single[k++] = v;
      if (k === width) {
        insert.single.run(single);
        k = 0;
      }
    }
  });
}
