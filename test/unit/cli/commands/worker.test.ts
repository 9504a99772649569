import { describe, expect, it } from "@jest/globals";
import { main } from "../../../../src/cli/main.js";
import { appEnv, captureIo } from "./capture-io.js";

describe("hookwright worker", () => {
  it("exits 2 with one line when REDIS_URL is not set: there is no queue to take work from", async () => {
    const io = captureIo(appEnv());
    expect(await main(["worker"], io)).toBe(2);
    expect(io.err().trim().split("\n")).toEqual([
      expect.stringMatching(/^hookwright: REDIS_URL is not set \(or DELIVERY_QUEUE=off\)/),
    ]);
  });

  it("exits 2 naming APP_ID when the app is not configured", async () => {
    const io = captureIo({ REDIS_URL: "redis://127.0.0.1:1" });
    expect(await main(["worker"], io)).toBe(2);
    expect(io.err()).toMatch(/^hookwright: APP_ID is not set/);
  });

  it("exits 2 naming the variable for a bad DELIVERY_QUEUE or REDIS_PREFIX", async () => {
    const queue = captureIo(appEnv("https://api.github.test", { DELIVERY_QUEUE: "maybe" }));
    expect(await main(["worker"], queue)).toBe(2);
    expect(queue.err()).toMatch(/^hookwright: DELIVERY_QUEUE must be "on"/);
    const prefix = captureIo(appEnv("https://api.github.test", { REDIS_PREFIX: "a b" }));
    expect(await main(["worker"], prefix)).toBe(2);
    expect(prefix.err()).toMatch(/^hookwright: REDIS_PREFIX may hold/);
  });
});
