import { describe, expect, it } from "@jest/globals";
import { createDeadlines } from "../../../src/scheduler/deadlines.js";
import { countingTimers } from "../../helpers/counting-timers.js";

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

describe("createDeadlines", () => {
  it("fires each deadline once its time has passed, in the order they were set", async () => {
    const deadlines = createDeadlines(200);
    const fired: Array<[string, number]> = [];
    const started = performance.now();
    deadlines.add(() => fired.push(["a", performance.now() - started]));
    await sleep(10);
    const bAdded = performance.now() - started;
    deadlines.add(() => fired.push(["b", performance.now() - started]));
    expect(fired).toEqual([]);
    for (let waited = 0; fired.length < 2 && waited < 2000; waited += 20) await sleep(20);
    expect(fired.map(([name]) => name)).toEqual(["a", "b"]);
    // At most 1 ms early, as Node's own timers, which count whole milliseconds.
    expect(fired[0]![1]).toBeGreaterThanOrEqual(199);
    expect(fired[1]![1]).toBeGreaterThanOrEqual(bAdded + 199);
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

  it("arms one timer for a deadline added while others fire", async () => {
    const timers = countingTimers();
    const deadlines = createDeadlines(20, timers);
    let cancelLater: (() => void) | undefined;
    deadlines.add(() => {
      cancelLater = deadlines.add(() => undefined);
    });
    await sleep(40);
    expect(cancelLater).toBeDefined();
    expect(timers.live()).toBe(1);
    cancelLater!();
    expect(timers.live()).toBe(0);
  });

  it("still fires the deadlines after one whose callback threw", async () => {
    const timers = countingTimers();
    const deadlines = createDeadlines(20, timers);
    const fired: string[] = [];
    deadlines.add(() => {
      throw new Error("boom");
    });
    deadlines.add(() => fired.push("after"));
    await sleep(60);
    expect(timers.thrown).toEqual([new Error("boom")]);
    expect(fired).toEqual(["after"]);
    expect(timers.live()).toBe(0);
  });

  it("waits out a deadline longer than Node's longest timer instead of firing at once", async () => {
    const timers = countingTimers();
    const deadlines = createDeadlines(2 ** 32, timers);
    let fired = false;
    const cancel = deadlines.add(() => (fired = true));
    await sleep(20);
    expect(fired).toBe(false);
    // One timer, waiting: not one re-armed every millisecond.
    expect(timers.set.calls).toBe(1);
    cancel();
  });
});
