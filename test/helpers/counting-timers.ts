import type { TimerFunctions } from "../../src/scheduler/deadlines.js";

/** Node's timers, counting those set and not yet fired or cleared, and keeping what they threw. */
export function countingTimers(): TimerFunctions & {
  live: () => number;
  thrown: unknown[];
  set: { calls: number };
} {
  const live = new Set<NodeJS.Timeout>();
  const thrown: unknown[] = [];
  const set = Object.assign(
    (callback: () => void, ms: number) => {
      set.calls += 1;
      const timer = setTimeout(() => {
        live.delete(timer);
        try {
          callback();
        } catch (error) {
          thrown.push(error);
        }
      }, ms);
      live.add(timer);
      return timer;
    },
    { calls: 0 },
  );
  return {
    thrown,
    set,
    clear(timer) {
      live.delete(timer);
      clearTimeout(timer);
    },
    live: () => live.size,
  };
}
