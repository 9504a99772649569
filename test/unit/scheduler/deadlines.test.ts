import { describe, expect, it } from "@jest/globals";
import { createDeadlines, type TimerFunctions } from "../../../src/scheduler/deadlines.js";

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** Node's timers, counting those set and not yet fired or cleared. */
function countingTimers(): TimerFunctions & { live: () => number } {
  const live = new Set<NodeJS.Timeout>();
  return {
    set(callback, ms) {
      const timer = setTimeout(() => {
        live.delete(timer);
        callback();
      }, ms);
      live.add(timer);
      return timer;
    },
    clear(timer) {
      live.delete(timer);
      clearTimeout(timer);
    },
    live: () => live.size,
  };
}

describe("createDeadlines", () => {
  it("fires each deadline once its time has passed, in the order they were set", async () => {
    const deadlines = createDeadlines(30);
    const fired: Array<[string, number]> = [];
    const started = performance.now();
    deadlines.add(() => fired.push(["a", performance.now() - started]));
    await sleep(10);
    deadlines.add(() => fired.push(["b", performance.now() - started]));
    await sleep(5);
    expect(fired).toEqual([]);
    await sleep(60);
    expect(fired.map(([name]) => name)).toEqual(["a", "b"]);
    expect(fired[0]![1]).toBeGreaterThanOrEqual(29);
    expect(fired[1]![1]).toBeGreaterThanOrEqual(39);
  });

  it("never fires a cancelled deadline, the earliest one included", async () => {
    const deadlines = createDeadlines(20);
    const fired: string[] = [];
    const cancelFirst = deadlines.add(() => fired.push("first"));
    deadlines.add(() => fired.push("second"));
    const cancelThird = deadlines.add(() => fired.push("third"));
    cancelFirst();
    cancelThird();
    await sleep(50);
    expect(fired).toEqual(["second"]);
  });

  it("holds one timer for any number of pending deadlines, and none once all fired", async () => {
    const timers = countingTimers();
    const deadlines = createDeadlines(20, timers);
    let fired = 0;
    const cancels = Array.from({ length: 100 }, () => deadlines.add(() => (fired += 1)));
    expect(timers.live()).toBe(1);
    for (const cancel of cancels.slice(0, 50)) cancel();
    await sleep(50);
    expect(fired).toBe(50);
    expect(timers.live()).toBe(0);
  });

  it("holds no timer once every pending deadline is cancelled", () => {
    const timers = countingTimers();
    const deadlines = createDeadlines(60_000, timers);
    const cancels = [deadlines.add(() => undefined), deadlines.add(() => undefined)];
    expect(timers.live()).toBe(1);
    for (const cancel of cancels) cancel();
    expect(timers.live()).toBe(0);
  });
});
