/**
 * One line of `npm run bench`: a measured value next to its baseline measured
 * in the same run, and the ratio the issue's target is stated in.
 */
export interface BenchFigure {
  name: string;
  value: number;
  unit: string;
  baselineName: string;
  baselineValue: number;
  /** value / baseline, or baseline / value for "lower is better" units: always "higher is better". */
  ratio: number;
  /** The target ratio from the issue, e.g. 0.5 for "at least half the speed". */
  target?: number;
  note?: string;
}

/** A bench module: `test/bench/*.bench.ts` default-exports one of these. */
export type Bench = () => Promise<BenchFigure[]>;
