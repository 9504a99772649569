/** setTimeout and clearTimeout, injected so tests move time by hand instead of sleeping. */
export interface Timers {
  /** Calls `callback` after `ms`; what it returns (a promise) a manual timer waits for. */
  setTimeout(callback: () => unknown, ms: number): unknown;
  clearTimeout(handle: unknown): void;
}

export const systemTimers: Timers = {
  setTimeout(callback, ms) {
    // A schedule never keeps a process alive that has nothing else to do.
    const timer = setTimeout(callback, Math.max(0, ms));
    timer.unref();
    return timer;
  },
  clearTimeout: (handle) => clearTimeout(handle as NodeJS.Timeout),
};
