import { describe, expect, it } from "@jest/globals";
import type { Clock } from "../../src/clock.js";
import { createManualClock } from "../helpers/manual-clock.js";

describe("createManualClock", () => {
  it("starts at 2026-01-01T00:00:00Z by default and only moves when told to", () => {
    const clock: Clock & ReturnType<typeof createManualClock> = createManualClock();
    expect(clock.now()).toBe(Date.UTC(2026, 0, 1));
    clock.advance(1500);
    expect(clock.now()).toBe(Date.UTC(2026, 0, 1) + 1500);
    clock.advance(-500);
    expect(clock.now()).toBe(Date.UTC(2026, 0, 1) + 1000);
  });

  it("starts where asked and can be set", () => {
    const clock = createManualClock(42);
    expect(clock.now()).toBe(42);
    clock.set(7);
    expect(clock.now()).toBe(7);
  });
});
