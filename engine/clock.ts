/** Time source; tests pass a fake so that runs and schedules are reproducible. */
export interface Clock {
  now(): Date;
}

export const systemClock: Clock = { now: () => new Date() };
