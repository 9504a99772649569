import { describe, expect, it } from "@jest/globals";
import { describeFailure, exitCodeFor } from "../../../src/cli/exit-code.js";
import { ERROR_CODES, HookwrightError, type ErrorCode } from "../../../src/errors.js";

const USER_MISTAKES: ErrorCode[] = [
  "CONFIG_INVALID",
  "PRIVATE_KEY_INVALID",
  "USAGE",
  "PLUGIN_LOAD_FAILED",
];

describe("exitCodeFor", () => {
  it.each(USER_MISTAKES)("gives 2 for %s, a usage or configuration mistake", (code) => {
    expect(exitCodeFor(new HookwrightError(code))).toBe(2);
  });

  it("gives 1 for every other code and for anything that is not a HookwrightError", () => {
    const others = (Object.keys(ERROR_CODES) as ErrorCode[]).filter(
      (code) => !USER_MISTAKES.includes(code),
    );
    expect(others.length).toBeGreaterThan(0);
    for (const code of others) expect(exitCodeFor(new HookwrightError(code))).toBe(1);
    expect(exitCodeFor(new Error("listen EADDRINUSE"))).toBe(1);
    expect(exitCodeFor("thrown string")).toBe(1);
    expect(exitCodeFor(undefined)).toBe(1);
  });
});

describe("describeFailure", () => {
  it("prints a HookwrightError's message, without its cause", () => {
    const error = new HookwrightError("CONFIG_INVALID", "PORT must be a whole number", {
      cause: new Error("inner detail"),
    });
    expect(describeFailure(error)).toBe("hookwright: PORT must be a whole number");
  });

  it("prints only the first line of an unexpected error, never its stack", () => {
    const error = new Error("listen EADDRINUSE: address already in use\nmore detail");
    const line = describeFailure(error);
    expect(line).toBe("hookwright: unexpected failure: listen EADDRINUSE: address already in use");
    expect(line).not.toContain(" at ");
  });

  it("keeps a multi-line HookwrightError message to one line", () => {
    const error = new HookwrightError("USAGE", "bad flag\nsecond line");
    expect(describeFailure(error)).toBe("hookwright: bad flag");
  });

  it("describes a thrown value that is not an Error", () => {
    expect(describeFailure("boom")).toBe("hookwright: unexpected failure: boom");
  });
});
