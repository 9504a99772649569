import { describe, expect, it } from "@jest/globals";
import { createDeadlines } from "../../../src/scheduler/deadlines.js";

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));
const timers = () => process.getActiveResourcesInfo().filter((kind) => kind === "Timeout").length;

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

  it("holds one timer for any number of pending deadlines, and none once all are done", async () => {
    const before = timers();
    const deadlines = createDeadlines(20);
    let fired = 0;
    const cancels = Array.from({ length: 100 }, () => deadlines.add(() => (fired += 1)));
    expect(timers() - before).toBe(1);
    for (const cancel of cancels.slice(0, 50)) cancel();
    await sleep(50);
    expect(fired).toBe(50);
    expect(timers()).toBe(before);
  });
});
