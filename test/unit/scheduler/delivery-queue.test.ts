import { describe, expect, it } from "@jest/globals";
import { queueOptions, REMEMBER_COMPLETED_MS } from "../../../src/scheduler/delivery-queue.js";

describe("queueOptions", () => {
  it("keeps a failed job at least as long as its deduplication key, with no count limit", () => {
    const settings = { prefix: "p", attempts: 3, backoffMs: 50, leaseMs: 1000 };
    const removeOnFail = queueOptions(settings).defaultJobOptions?.removeOnFail;
    // A failed job pruned while its key lives would read as completed: a redelivery lost.
    expect(removeOnFail).toEqual({ age: expect.any(Number) });
    const { age } = removeOnFail as { age: number };
    expect(age * 1000).toBeGreaterThanOrEqual(REMEMBER_COMPLETED_MS);
  });
});
