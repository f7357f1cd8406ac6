import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';

export function benchDir(name: string): string {
  return fs.mkdtempSync(path.join(os.tmpdir(), `quarry-bench-${name}-`));
}

/** Median wall time of `runs` calls, in milliseconds. */
export async function medianMs(runs: number, fn: () => unknown): Promise<number> {
  const times: number[] = [];
  for (let i = 0; i < runs; i++) {
    const t0 = process.hrtime.bigint();
    await fn();
    times.push(Number(process.hrtime.bigint() - t0) / 1e6);
  }
  times.sort((a, b) => a - b);
  return times[Math.floor(times.length / 2)]!;
}

/** Samples RSS while `fn` runs and returns the peak growth over the start, in MiB. */
export async function peakRssGrowthMiB<T>(fn: () => Promise<T>): Promise<{ result: T; peakMiB: number }> {
  const start = process.memoryUsage.rss();
  let peak = start;
  const timer = setInterval(() => (peak = Math.max(peak, process.memoryUsage.rss())), 20);
  try {
    const result = await fn();
    peak = Math.max(peak, process.memoryUsage.rss());
    return { result, peakMiB: (peak - start) / 2 ** 20 };
  } finally {
    clearInterval(timer);
  }
}
