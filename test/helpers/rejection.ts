import { expect } from "@jest/globals";
import { HookwrightError, type ErrorCode } from "../../src/errors.js";

/**
 * Awaits a promise that must reject with a HookwrightError (of `code`, when given) and
 * returns that error for further checks. A promise that resolves fails the test.
 */
export async function rejectionOf(
  promise: Promise<unknown>,
  code?: ErrorCode,
): Promise<HookwrightError> {
  const settled = await promise.then(
    (value: unknown) => ({ resolved: true as const, value }),
    (error: unknown) => ({ resolved: false as const, error }),
  );
  if (settled.resolved) throw new Error("expected a rejection, but the promise resolved");
  expect(settled.error).toBeInstanceOf(HookwrightError);
  const error = settled.error as HookwrightError;
  if (code !== undefined) expect(error.code).toBe(code);
  return error;
}
