import { readFileSync } from "node:fs";
import { describe, expect, it } from "@jest/globals";
import { ERROR_CODES, HookwrightError, toErrorBody, toHttpStatus } from "../../src/errors.js";

const readme = readFileSync(new URL("../../README.md", import.meta.url), "utf8");

function documentedCodes(): string[] {
  const section = readme.split("## Error codes")[1] ?? "";
  return [...section.matchAll(/^\| `([A-Z_]+)` *\|/gm)].map((match) => match[1]!);
}

describe("error catalogue", () => {
  it("README documents every code, and only real ones", () => {
    expect(documentedCodes().sort()).toEqual(Object.keys(ERROR_CODES).sort());
  });

  it("maps client errors to their statuses and everything else to 500", () => {
    expect(toHttpStatus(new HookwrightError("SIGNATURE_MISMATCH"))).toBe(401);
    expect(toHttpStatus(new HookwrightError("PAYLOAD_TOO_LARGE"))).toBe(413);
    expect(toHttpStatus(new HookwrightError("UNSUPPORTED_MEDIA_TYPE"))).toBe(415);
    expect(toHttpStatus(new HookwrightError("SERVICE_UNAVAILABLE"))).toBe(503);
    expect(toHttpStatus(new HookwrightError("APP_JWT_REJECTED"))).toBe(500);
    expect(toHttpStatus(new Error("boom"))).toBe(500);
  });

  it("never puts an internal error's message or cause in a response body", () => {
    const internal = new HookwrightError("TOKEN_EXCHANGE_FAILED", "token ghs_secret123 refused", {
      cause: new Error("deep detail"),
    });
    expect(toErrorBody(internal)).toEqual({
      error: { code: "INTERNAL", message: ERROR_CODES.INTERNAL },
    });
    expect(toErrorBody(new Error("stack trace here"))).toEqual({
      error: { code: "INTERNAL", message: ERROR_CODES.INTERNAL },
    });
    expect(
      toErrorBody(new HookwrightError("MISSING_HEADER", "missing header: X-GitHub-Event")),
    ).toEqual({
      error: { code: "MISSING_HEADER", message: "missing header: X-GitHub-Event" },
    });
  });

  it("keeps the code, the variable and the cause", () => {
    const cause = new Error("underlying");
    const error = new HookwrightError("CONFIG_INVALID", "PORT must be a number", {
      variable: "PORT",
      cause,
    });
    expect(error).toBeInstanceOf(Error);
    expect(error.code).toBe("CONFIG_INVALID");
    expect(error.variable).toBe("PORT");
    expect(error.cause).toBe(cause);
  });
});
