import { describe, expect, it } from "@jest/globals";
import { createBodyBudget } from "../../../src/server/body-budget.js";

describe("createBodyBudget", () => {
  it("lets claims take bytes until the budget is spent, and never past it", () => {
    const budget = createBodyBudget(100);
    const a = budget.claim();
    const b = budget.claim();
    expect(a.take(60)).toBe(true);
    expect(b.take(50)).toBe(false);
    expect(budget.inUse()).toBe(60);
    expect(b.take(40)).toBe(true);
    expect(budget.inUse()).toBe(100);
    expect(a.take(1)).toBe(false);
  });

  it("gives back everything a claim took when it is released, once", () => {
    const budget = createBodyBudget(100);
    const a = budget.claim();
    a.take(30);
    a.take(30);
    const b = budget.claim();
    b.take(40);
    a.release();
    expect(budget.inUse()).toBe(40);
    a.release();
    expect(budget.inUse()).toBe(40);
    b.release();
    expect(budget.inUse()).toBe(0);
  });
});
