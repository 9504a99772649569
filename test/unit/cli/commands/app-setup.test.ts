import { writeFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "@jest/globals";
import {
  createAppSetup,
  createStderrLogger,
  readCommandConfig,
  webhookSecretsOf,
} from "../../../../src/cli/commands/app-setup.js";
import { exitCodeFor } from "../../../../src/cli/exit-code.js";
import { HookwrightError } from "../../../../src/errors.js";
import { captureLogs } from "../../../helpers/capture-logs.js";
import { appEnv, captureIo } from "./capture-io.js";

describe("readCommandConfig", () => {
  it("reads the app's credentials without a WEBHOOK_SECRET, which these commands never use", () => {
    const config = readCommandConfig(captureIo(appEnv()));
    expect(config.app?.appId).toBe("4242");
    expect(webhookSecretsOf(config)).toEqual([]);
  });

  it("keeps a configured webhook secret (for the log scrubber) and reads .env under the environment", () => {
    const io = captureIo({ WEBHOOK_SECRET: "real-secret", GITHUB_URL: "https://ghe.test" });
    writeFileSync(join(io.cwd, ".env"), `APP_ID=77\nGITHUB_URL=https://ignored.test\n`);
    expect(() => readCommandConfig(io)).toThrow(/PRIVATE_KEY/);
    writeFileSync(
      join(io.cwd, ".env"),
      `APP_ID=77\nPRIVATE_KEY="${appEnv().PRIVATE_KEY!.replace(/\n/g, "\\n")}"\n`,
    );
    const config = readCommandConfig(io);
    expect(config.app?.appId).toBe("77");
    expect(config.webUrl).toBe("https://ghe.test");
    expect(webhookSecretsOf(config)).toEqual(["real-secret"]);
  });
});

describe("createStderrLogger", () => {
  it("writes JSON lines to stderr, leaving stdout to the command's answer", () => {
    const io = captureIo(appEnv(undefined, { LOG_LEVEL: "info" }));
    createStderrLogger(readCommandConfig(io), io).info(
      { token: "ghs_abcdefghijklmnopqrstuvwxyz" },
      "hello",
    );
    expect(io.out()).toBe("");
    const record = JSON.parse(io.err()) as Record<string, unknown>;
    expect(record).toMatchObject({ msg: "hello", token: "[REDACTED]" });
  });
});

describe("createAppSetup", () => {
  const setup = () =>
    createAppSetup(readCommandConfig(captureIo(appEnv())), captureLogs().logger, {});

  it("refuses to build without APP_ID, naming it", () => {
    const config = readCommandConfig(captureIo({}));
    expect(() => createAppSetup(config, captureLogs().logger, {})).toThrow(
      expect.objectContaining({ code: "CONFIG_INVALID", variable: "APP_ID" }),
    );
  });

  it("turns an unknown installation into a usage error (exit 2) with the same message and cause", () => {
    const original = new HookwrightError(
      "INSTALLATION_NOT_FOUND",
      "the app is not installed on a/b",
      {
        status: 404,
      },
    );
    const explained = setup().explain(original) as HookwrightError;
    expect(explained).toMatchObject({ code: "USAGE", message: original.message, cause: original });
    expect(exitCodeFor(explained)).toBe(2);
  });

  it("turns a refused JWT into a configuration error naming APP_ID (no Date seen: no skew)", () => {
    const explained = setup().explain(new HookwrightError("APP_JWT_REJECTED")) as HookwrightError;
    expect(explained).toMatchObject({ code: "CONFIG_INVALID", variable: "APP_ID" });
    expect(explained.message).toMatch(/check that APP_ID \(4242\) and the private key \(SHA256:/);
  });

  it("leaves every other error alone", () => {
    const failure = new HookwrightError("TOKEN_EXCHANGE_FAILED");
    const plain = new Error("boom");
    expect(setup().explain(failure)).toBe(failure);
    expect(setup().explain(plain)).toBe(plain);
  });
});
