/** Milliseconds since the epoch. Injected everywhere time matters so tests advance it by hand. */
export interface Clock {
  now(): number;
}

export const systemClock: Clock = { now: () => Date.now() };
