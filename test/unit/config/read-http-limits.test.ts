import { describe, expect, it } from "@jest/globals";
import { readConfig } from "../../../src/config/read-config.js";
import { HookwrightError } from "../../../src/errors.js";
import { DEFAULT_HTTP_LIMITS } from "../../../src/server/server-limits.js";
import { testKeys } from "../../helpers/keys.js";

const MIB = 1024 * 1024;

function failure(env: Record<string, string>): HookwrightError {
  try {
    readConfig(env, { serving: true });
  } catch (error) {
    expect(error).toBeInstanceOf(HookwrightError);
    return error as HookwrightError;
  }
  throw new Error("readConfig accepted the configuration");
}

describe("readConfig HTTP limits", () => {
  it("defaults to a 100 MiB body budget, 20 s headers, 60 s requests, 5 s keep-alive, 1000 connections", () => {
    expect(readConfig({}).http).toEqual({
      bodyBudgetBytes: 100 * MIB,
      headersTimeoutMs: 20_000,
      requestTimeoutMs: 60_000,
      keepAliveTimeoutMs: 5_000,
      maxConnections: 1000,
    });
    expect(readConfig({}).http).toEqual(DEFAULT_HTTP_LIMITS);
  });

  it("reads every limit that is set", () => {
    const http = readConfig({
      REQUEST_BODY_BUDGET_MIB: "64",
      HTTP_HEADERS_TIMEOUT_MS: "1000",
      HTTP_REQUEST_TIMEOUT_MS: "2000",
      HTTP_KEEP_ALIVE_TIMEOUT_MS: "0",
      HTTP_MAX_CONNECTIONS: "10",
    }).http;
    expect(http).toEqual({
      bodyBudgetBytes: 64 * MIB,
      headersTimeoutMs: 1000,
      requestTimeoutMs: 2000,
      keepAliveTimeoutMs: 0,
      maxConnections: 10,
    });
  });

  it.each([
    ["REQUEST_BODY_BUDGET_MIB", "24"],
    ["REQUEST_BODY_BUDGET_MIB", "lots"],
    ["HTTP_REQUEST_TIMEOUT_MS", "50"],
    ["HTTP_MAX_CONNECTIONS", "0"],
    ["HTTP_KEEP_ALIVE_TIMEOUT_MS", "-1"],
  ])("refuses %s=%s naming it", (name, raw) => {
    const error = failure({ [name]: raw });
    expect(error.code).toBe("CONFIG_INVALID");
    expect(error.variable).toBe(name);
  });

  it("shortens the default headers timeout to a shorter request timeout", () => {
    expect(readConfig({ HTTP_REQUEST_TIMEOUT_MS: "5000" }).http).toMatchObject({
      headersTimeoutMs: 5000,
      requestTimeoutMs: 5000,
    });
  });

  it("refuses a headers timeout longer than the request timeout", () => {
    const error = failure({ HTTP_HEADERS_TIMEOUT_MS: "30000", HTTP_REQUEST_TIMEOUT_MS: "20000" });
    expect(error.variable).toBe("HTTP_HEADERS_TIMEOUT_MS");
  });
});

describe("readConfig in production", () => {
  const app = { APP_ID: "4242", PRIVATE_KEY: testKeys().privateKeyPem };

  it("refuses to serve without APP_ID, since the sandbox never runs there", () => {
    const error = failure({ NODE_ENV: "production" });
    expect(error.variable).toBe("APP_ID");
    expect(error.message).toMatch(/NODE_ENV=production/);
    // Commands that do not serve (receive with GITHUB_TOKEN) still read the configuration.
    expect(readConfig({ NODE_ENV: "production" }).app).toBeUndefined();
  });

  it.each([["WEBHOOK_SECRET"], ["WEBHOOK_SECRET_PREVIOUS"]])(
    "refuses a %s shorter than 16 characters without echoing it",
    (name) => {
      const env = { ...app, WEBHOOK_SECRET: "a-long-enough-secret", [name]: "fifteen-chars!!" };
      const error = failure({ ...env, NODE_ENV: "production" });
      expect(error.variable).toBe(name);
      expect(error.message).not.toContain("fifteen-chars!!");
      // Outside production a short secret is the developer's business.
      expect(readConfig(env).app?.webhookSecrets).toContain("fifteen-chars!!");
    },
  );

  it("accepts a 16-character secret", () => {
    const env = { ...app, NODE_ENV: "production", WEBHOOK_SECRET: "sixteen-chars!!!" };
    expect(readConfig(env, { serving: true })).toMatchObject({ production: true });
  });
});

describe("readConfig PUBLIC_URL", () => {
  it("keeps the origin of PUBLIC_URL", () => {
    expect(readConfig({ PUBLIC_URL: "https://bot.example.com/some/path/" }).publicUrl).toBe(
      "https://bot.example.com",
    );
    expect(readConfig({}).publicUrl).toBeUndefined();
  });

  it("refuses a PUBLIC_URL that is not an http(s) URL", () => {
    expect(failure({ PUBLIC_URL: "bot.example.com" }).variable).toBe("PUBLIC_URL");
  });
});
