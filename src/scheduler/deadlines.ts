/**
 * Deadlines that all lie the same `ms` ahead, so they fall due in the order they were set:
 * kept in that order under one timer, armed for the earliest, instead of a timer each. Every
 * delivery run inline has one (its 202 deadline), and most are cancelled within milliseconds:
 * a timer per delivery was a `Timeout` made, linked and unlinked each time.
 */
export interface Deadlines {
  /** Calls `fire` once `ms` have passed, unless the returned cancel is called first. */
  add(fire: () => void): () => void;
}

interface Entry {
  at: number;
  fire: () => void;
}

/** The timer functions it uses; a test passes counting ones. */
export interface TimerFunctions {
  set: (callback: () => void, ms: number) => NodeJS.Timeout;
  clear: (timer: NodeJS.Timeout) => void;
}

// Looked up at each call, so fake timers installed after this module loaded still apply.
const NODE_TIMERS: TimerFunctions = {
  set: (callback, ms) => setTimeout(callback, ms),
  clear: (timer) => clearTimeout(timer),
};
/** Node's longest timer; a longer one would fire after 1 ms. */
const LONGEST_MS = 2 ** 31 - 1;

export function createDeadlines(ms: number, timers: TimerFunctions = NODE_TIMERS): Deadlines {
  const due = new Set<Entry>();
  let timer: NodeJS.Timeout | undefined;
  /** While due entries fire: an `add` from one of them is armed for at the end, not twice. */
  let expiring = false;

  function arm(entry: Entry) {
    const wait = Math.ceil(entry.at - performance.now());
    timer = timers.set(expire, Math.min(LONGEST_MS, Math.max(0, wait)));
  }
  function expire() {
    timer = undefined;
    expiring = true;
    try {
      // Node's timers count whole milliseconds: one may wake a fraction before `at`.
      const now = performance.now() + 1;
      for (const entry of due) {
        if (entry.at > now) break;
        due.delete(entry);
        entry.fire();
      }
    } finally {
      // Re-armed even when a `fire` threw, so the entries after it still fire.
      expiring = false;
      const next = due.values().next();
      if (!next.done && timer === undefined) arm(next.value);
    }
  }

  return {
    add(fire) {
      const entry = { at: performance.now() + ms, fire };
      due.add(entry);
      if (timer === undefined && !expiring) arm(entry);
      return () => {
        // The last one gone, so is the timer: none outlives the runs it was for.
        if (due.delete(entry) && due.size === 0 && timer !== undefined) {
          timers.clear(timer);
          timer = undefined;
        }
      };
    },
  };
}
