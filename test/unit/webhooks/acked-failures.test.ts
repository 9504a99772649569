import { describe, expect, it } from "@jest/globals";
import { createMemoryAckedFailures } from "../../../src/webhooks/acked-failures.js";

describe("createMemoryAckedFailures", () => {
  it("lists the failures at or after a time, with when each failed", async () => {
    const failures = createMemoryAckedFailures();
    await failures.add("old", 1_000);
    await failures.add("new", 5_000);
    expect(await failures.since(5_000)).toEqual(new Map([["new", 5_000]]));
    expect(await failures.since(0)).toEqual(
      new Map([
        ["old", 1_000],
        ["new", 5_000],
      ]),
    );
  });

  it("keeps the latest failure of a delivery that failed again", async () => {
    const failures = createMemoryAckedFailures();
    await failures.add("d", 1_000);
    await failures.add("d", 9_000);
    expect(await failures.since(0)).toEqual(new Map([["d", 9_000]]));
  });

  it("is bounded, dropping the oldest first", async () => {
    const failures = createMemoryAckedFailures({ max: 2 });
    await failures.add("a", 1);
    await failures.add("b", 2);
    await failures.add("a", 3);
    await failures.add("c", 4);
    expect([...(await failures.since(0)).keys()]).toEqual(["a", "c"]);
  });
});
