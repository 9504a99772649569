import type { Timers } from "../schedules/timers.js";
import type { ManualClock } from "./manual-clock.js";

/** Timers that fire only when `advance` moves the manual clock past them. */
export interface ManualTimers extends Timers {
  /**
   * Moves the clock forward by `ms`, firing every timer that falls due on the way in order,
   * each at its own time, and waiting for the promise it returns before the next.
   */
  advance(ms: number): Promise<void>;
  /** Timers set and not yet fired or cleared. */
  pending(): number;
}

interface Entry {
  at: number;
  seq: number;
  callback: () => unknown;
}

/**
 * Timers on a manual clock: a schedule's hour passes in `await timers.advance(3600_000)`,
 * with no sleeping and no global fake timers.
 *
 * @example
 * const clock = createManualClock();
 * const timers = createManualTimers(clock);
 * const app = await createTestApp(plugin, { clock, timers });
 * await timers.advance(60 * 60_000); // every tick of the hour has run
 */
export function createManualTimers(clock: ManualClock): ManualTimers {
  const entries = new Set<Entry>();
  let seq = 0;
  return {
    setTimeout(callback, ms) {
      const entry = { at: clock.now() + Math.max(0, ms), seq: seq++, callback };
      entries.add(entry);
      return entry;
    },
    clearTimeout(handle) {
      entries.delete(handle as Entry);
    },
    async advance(ms) {
      const until = clock.now() + ms;
      for (;;) {
        let due: Entry | undefined;
        for (const entry of entries) {
          if (entry.at > until) continue;
          if (!due || entry.at < due.at || (entry.at === due.at && entry.seq < due.seq)) {
            due = entry;
          }
        }
        if (due === undefined) break;
        entries.delete(due);
        if (due.at > clock.now()) clock.set(due.at);
        await due.callback();
      }
      clock.set(until);
    },
    pending: () => entries.size,
  };
}
