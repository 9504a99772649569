import { createPublicKey } from "node:crypto";
import { describe, expect, it } from "@jest/globals";
import { readConfig, type Env } from "../../../src/config/read-config.js";
import { HookwrightError } from "../../../src/errors.js";
import { testKeys } from "../../helpers/keys.js";

const keys = testKeys();
const APP: Env = { APP_ID: "4242", PRIVATE_KEY: keys.privateKeyPem, WEBHOOK_SECRET: "s3cret" };

function failure(env: Env, readFile?: (path: string) => string): HookwrightError {
  try {
    readConfig(env, { readFile });
  } catch (error) {
    expect(error).toBeInstanceOf(HookwrightError);
    return error as HookwrightError;
  }
  throw new Error("readConfig accepted the configuration");
}

describe("readConfig defaults", () => {
  it("fills in every default from an empty environment", () => {
    const config = readConfig({});
    expect(config).toMatchObject({
      app: undefined,
      webhookPath: "/api/github/webhooks",
      port: 3000,
      host: undefined,
      apiUrl: "https://api.github.com",
      webUrl: "https://github.com",
      logLevel: "info",
      logFormat: "json",
      plugins: undefined,
      redisUrl: undefined,
      consoleToken: undefined,
      tokenRefreshMarginS: 300,
      deadlineMs: 9000,
      redeliverIntervalMs: undefined,
    });
  });

  it("defaults LOG_FORMAT to pretty on a TTY and json otherwise", () => {
    expect(readConfig({}, { isTty: true }).logFormat).toBe("pretty");
    expect(readConfig({}, { isTty: false }).logFormat).toBe("json");
    expect(readConfig({ LOG_FORMAT: "json" }, { isTty: true }).logFormat).toBe("json");
  });

  it("treats blank values as unset", () => {
    expect(readConfig({ PORT: " ", APP_ID: "", WEBHOOK_PATH: "" })).toMatchObject({
      port: 3000,
      app: undefined,
      webhookPath: "/api/github/webhooks",
    });
  });

  it("reads the values that are set", () => {
    const config = readConfig({
      PORT: "0",
      HOST: "127.0.0.1",
      WEBHOOK_PATH: "/hooks",
      LOG_LEVEL: "debug",
      REDIS_URL: "redis://localhost:6379",
      TOKEN_REFRESH_MARGIN_S: "600",
      WEBHOOK_DEADLINE_MS: "50",
      CONSOLE_TOKEN: "sixteen-chars-ok",
      REDELIVER_INTERVAL: "15m",
    });
    expect(config).toMatchObject({
      port: 0,
      host: "127.0.0.1",
      webhookPath: "/hooks",
      logLevel: "debug",
      redisUrl: "redis://localhost:6379",
      tokenRefreshMarginS: 600,
      deadlineMs: 50,
      consoleToken: "sixteen-chars-ok",
      redeliverIntervalMs: 15 * 60_000,
    });
  });
});

describe("readConfig app credentials", () => {
  it("reads APP_ID, the private key and one webhook secret", () => {
    const { app } = readConfig(APP);
    expect(app?.appId).toBe("4242");
    expect(createPublicKey(app!.privateKey.key).equals(keys.publicKey)).toBe(true);
    expect(app?.privateKey.fingerprint).toMatch(/^SHA256:/);
    expect(app?.webhookSecrets).toEqual(["s3cret"]);
  });

  it("accepts WEBHOOK_SECRET_PREVIOUS as a second secret, current first", () => {
    const { app } = readConfig({ ...APP, WEBHOOK_SECRET_PREVIOUS: "old-secret" });
    expect(app?.webhookSecrets).toEqual(["s3cret", "old-secret"]);
  });

  it("requires a private key with APP_ID", () => {
    const error = failure({ APP_ID: "4242", WEBHOOK_SECRET: "s3cret" });
    expect(error.code).toBe("CONFIG_INVALID");
    expect(error.variable).toBe("PRIVATE_KEY");
    expect(error.message).toMatch(/PRIVATE_KEY_PATH/);
  });

  it("requires WEBHOOK_SECRET with APP_ID", () => {
    const error = failure({ APP_ID: "4242", PRIVATE_KEY: keys.privateKeyPem });
    expect(error).toMatchObject({ code: "CONFIG_INVALID", variable: "WEBHOOK_SECRET" });
  });

  it("lets commands that receive no webhooks run without WEBHOOK_SECRET", () => {
    const { app } = readConfig(
      { APP_ID: "4242", PRIVATE_KEY: keys.privateKeyPem },
      { webhookSecretOptional: true },
    );
    expect(app?.appId).toBe("4242");
    expect(app?.webhookSecrets).toEqual([]);
  });

  it("rejects an APP_ID that is neither a number nor a client id", () => {
    expect(failure({ ...APP, APP_ID: "my-app" }).variable).toBe("APP_ID");
    expect(readConfig({ ...APP, APP_ID: "Iv1.abc123" }).app?.appId).toBe("Iv1.abc123");
  });

  it("reads PRIVATE_KEY_PATH through the injected readFile", () => {
    const read: string[] = [];
    const readFile = (path: string) => {
      read.push(path);
      return keys.privateKeyPem;
    };
    const env = { APP_ID: "4242", PRIVATE_KEY_PATH: "/keys/app.pem", WEBHOOK_SECRET: "s" };
    const { app } = readConfig(env, { readFile });
    expect(read).toEqual(["/keys/app.pem"]);
    expect(createPublicKey(app!.privateKey.key).equals(keys.publicKey)).toBe(true);
  });

  it("fails on an unreadable PRIVATE_KEY_PATH naming that variable", () => {
    const readFile = () => {
      throw Object.assign(new Error("ENOENT: no such file"), { code: "ENOENT" });
    };
    const error = failure(
      { APP_ID: "4242", PRIVATE_KEY_PATH: "/missing.pem", WEBHOOK_SECRET: "s" },
      readFile,
    );
    expect(error).toMatchObject({ code: "CONFIG_INVALID", variable: "PRIVATE_KEY_PATH" });
    expect(error.message).toContain("/missing.pem");
  });

  it("reports a bad key file as PRIVATE_KEY_INVALID naming PRIVATE_KEY_PATH", () => {
    const error = failure(
      { APP_ID: "4242", PRIVATE_KEY_PATH: "/app.pem", WEBHOOK_SECRET: "s" },
      () => keys.publicKeyPem,
    );
    expect(error).toMatchObject({ code: "PRIVATE_KEY_INVALID", variable: "PRIVATE_KEY_PATH" });
  });
});

describe("readConfig GitHub URLs", () => {
  it("builds GitHub Enterprise Server URLs from GHE_HOST and GHE_PROTOCOL", () => {
    expect(readConfig({ GHE_HOST: "ghe.example.com" })).toMatchObject({
      apiUrl: "https://ghe.example.com/api/v3",
      webUrl: "https://ghe.example.com",
    });
    expect(readConfig({ GHE_HOST: "ghe.local:8080", GHE_PROTOCOL: "http" })).toMatchObject({
      apiUrl: "http://ghe.local:8080/api/v3",
      webUrl: "http://ghe.local:8080",
    });
  });

  it("lets GITHUB_API_URL and GITHUB_URL win over GHE_HOST, without trailing slashes", () => {
    const config = readConfig({
      GHE_HOST: "ghe.example.com",
      GITHUB_API_URL: "http://127.0.0.1:9999/api//",
      GITHUB_URL: "https://web.example.com/",
    });
    expect(config.apiUrl).toBe("http://127.0.0.1:9999/api");
    expect(config.webUrl).toBe("https://web.example.com");
  });
});

describe("readConfig rejects a bad value naming its variable", () => {
  it.each([
    ["PORT", "http"],
    ["PORT", "70000"],
    ["PORT", "-1"],
    ["PORT", "80.5"],
    ["PORT", "0x50"],
    ["PORT", "1e3"],
    ["LOG_LEVEL", "verbose"],
    ["LOG_FORMAT", "xml"],
    ["WEBHOOK_PATH", "api/github/webhooks"],
    ["REDIS_URL", "localhost:6379"],
    ["TOKEN_REFRESH_MARGIN_S", "-5"],
    ["TOKEN_REFRESH_MARGIN_S", "4000"],
    ["TOKEN_REFRESH_MARGIN_S", "five"],
    ["GITHUB_API_URL", "ftp://example.com"],
    ["GITHUB_API_URL", "not a url"],
    ["GITHUB_URL", "github.com"],
    ["WEBHOOK_PROXY_URL", "smee"],
    ["CONSOLE_TOKEN", "fifteen-chars!!"],
    ["REDELIVER_INTERVAL", "15"],
    ["REDELIVER_INTERVAL", "30s"],
    ["REDELIVER_INTERVAL", "often"],
  ])("%s=%s", (variable, bad) => {
    const error = failure({ [variable]: bad });
    expect(error.code).toBe("CONFIG_INVALID");
    expect(error.variable).toBe(variable);
    expect(error.message.startsWith(`${variable} `)).toBe(true);
  });

  it("does not echo a CONSOLE_TOKEN that is too short", () => {
    expect(failure({ CONSOLE_TOKEN: "tiny-secret" }).message).not.toContain("tiny-secret");
  });

  it("does not echo REDIS_URL, which may hold a password", () => {
    expect(failure({ REDIS_URL: "http://:hunter2@cache:6379" }).message).not.toContain("hunter2");
  });
});

describe("readConfig PLUGINS", () => {
  it("splits on commas, trims names and drops empty entries", () => {
    expect(readConfig({ PLUGINS: " greeter, ./local/plugin.js ,,labeler " }).plugins).toEqual([
      "greeter",
      "./local/plugin.js",
      "labeler",
    ]);
  });
});

describe("readConfig: GITHUB_REQUEST_TIMEOUT_MS", () => {
  it("defaults to GitHub's own 10 s limit and reads a value that is set", () => {
    expect(readConfig({}).githubRequestTimeoutMs).toBe(10_000);
    expect(readConfig({ GITHUB_REQUEST_TIMEOUT_MS: "2500" }).githubRequestTimeoutMs).toBe(2500);
  });

  it.each(["10", "60001", "5s", "-1"])("rejects %s naming the variable", (bad) => {
    const error = failure({ GITHUB_REQUEST_TIMEOUT_MS: bad });
    expect(error.code).toBe("CONFIG_INVALID");
    expect(error.variable).toBe("GITHUB_REQUEST_TIMEOUT_MS");
    expect(error.message).toMatch(
      /^GITHUB_REQUEST_TIMEOUT_MS must be a whole number from 100 to 60000/,
    );
  });
});
