import { QuarryError } from '../errors.js';

const unitMs = { w: 604_800_000, d: 86_400_000, h: 3_600_000, m: 60_000, s: 1000 } as const;
type Unit = keyof typeof unitMs;
const part = /(\d+)\s*(w|d|h|m|s)/gy;

/** "90s", "15m", "1h30m", "7d", "2w" -> milliseconds. `what` names the option in the error. */
export function parseDuration(text: string, what: string): number {
  const s = text.trim().toLowerCase();
  let total = 0;
  let pos = 0;
  part.lastIndex = 0;
  for (let m = part.exec(s); m; m = part.exec(s)) {
    total += Number(m[1]) * unitMs[m[2] as Unit];
    pos = part.lastIndex;
    while (s[pos] === ' ') pos++;
    part.lastIndex = pos;
  }
  if (s.length === 0 || pos !== s.length) {
    throw new QuarryError('invalid_input', `${what}: "${text}" is not a duration (use e.g. 90s, 15m, 1h30m, 7d)`);
  }
  return total;
}

/** The inverse of parseDuration, largest units first: 5400000 -> "1h30m"; sub-second remainders are dropped. */
export function formatDuration(ms: number): string {
  let rest = Math.max(0, Math.round(ms / 1000)) * 1000;
  if (rest === 0) return '0s';
  let out = '';
  for (const unit of ['d', 'h', 'm', 's'] as const) {
    const n = Math.floor(rest / unitMs[unit]);
    if (n > 0) out += `${n}${unit}`;
    rest -= n * unitMs[unit];
  }
  return out;
}
