import type { Clock } from "../clock.js";

export interface ManualClock extends Clock {
  now(): number;
  /** Moves time forward by `ms` (negative values move it back, for skew tests). */
  advance(ms: number): void;
  set(ms: number): void;
}

/**
 * A clock that only moves when told to, so token expiry is `clock.advance(...)`, not sleeping.
 *
 * @example
 * const clock = createManualClock();
 * clock.advance(3600_000); // an hour later
 */
export function createManualClock(startMs: number = Date.UTC(2026, 0, 1)): ManualClock {
  let current = startMs;
  return {
    now: () => current,
    advance(ms) {
      current += ms;
    },
    set(ms) {
      current = ms;
    },
  };
}
