import { describe, expect, it } from "@jest/globals";
import { HookwrightError } from "../../src/errors.js";
import { rejectionOf } from "../helpers/rejection.js";

describe("rejectionOf", () => {
  it("returns the HookwrightError a promise rejects with", async () => {
    const error = new HookwrightError("NO_INSTALLATION", "needs an installation");
    await expect(rejectionOf(Promise.reject(error), "NO_INSTALLATION")).resolves.toBe(error);
  });

  it("fails when the promise resolves, rejects with another error, or another code", async () => {
    await expect(rejectionOf(Promise.resolve("fine"))).rejects.toThrow(/resolved/);
    await expect(rejectionOf(Promise.reject(new Error("plain")))).rejects.toThrow();
    const wrongCode = Promise.reject(new HookwrightError("USAGE"));
    await expect(rejectionOf(wrongCode, "CONFIG_INVALID")).rejects.toThrow();
  });
});
