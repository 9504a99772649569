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

const NODE_TIMERS: TimerFunctions = { set: setTimeout, clear: clearTimeout };

export function createDeadlines(ms: number, timers: TimerFunctions = NODE_TIMERS): Deadlines {
  const due = new Set<Entry>();
  let timer: NodeJS.Timeout | undefined;

  function arm(entry: Entry) {
    timer = timers.set(expire, Math.max(0, Math.ceil(entry.at - performance.now())));
  }
  function expire() {
    timer = undefined;
    // Node's timers count whole milliseconds: one may wake a fraction before `at`.
    const now = performance.now() + 1;
    for (const entry of due) {
      if (entry.at > now) return arm(entry);
      due.delete(entry);
      entry.fire();
    }
  }

  return {
    add(fire) {
      const entry = { at: performance.now() + ms, fire };
      due.add(entry);
      if (timer === undefined) arm(entry);
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
