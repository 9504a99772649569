import { describe, expect, it } from "@jest/globals";
import { createProbot, Probot } from "hookwright/probot";
import { probotOptionsFromEnv } from "../../../src/probot/create-probot.js";
import { testKeys } from "../../helpers/keys.js";

describe("createProbot", () => {
  it("reads Probot's variables from the env it is given", () => {
    const pem = testKeys().privateKeyPem;
    const probot = createProbot({
      env: { APP_ID: "12", PRIVATE_KEY: pem, WEBHOOK_SECRET: "s", WEBHOOK_PATH: "/gh" },
    });
    expect(probot).toBeInstanceOf(Probot);
    expect(probot.webhookPath).toBe("/gh");
    expect(probot.options).toMatchObject({ appId: 12, secret: "s", logLevel: "warn" });
  });

  it("puts defaults under the env and overrides over it", () => {
    const pem = testKeys().privateKeyPem;
    const probot = createProbot({
      env: { APP_ID: "12", PRIVATE_KEY: pem },
      defaults: { webhookPath: "/default", secret: "default" },
      overrides: { appId: 99 },
    });
    // As in Probot: the env's own defaults (path, secret) win over `defaults`.
    expect(probot.options).toMatchObject({
      appId: 99,
      webhookPath: "/api/github/webhooks",
      secret: "",
    });
  });

  it("fails as Probot does when the env has no app id", () => {
    expect(() => createProbot({ env: {} })).toThrow("appId option is required");
  });

  it("maps GHE_HOST, PRIVATE_KEY_PATH, escaped PEM newlines and LOG_LEVEL", () => {
    const pem = testKeys().privateKeyPem;
    const read = (path: string) => (path === "/keys/app.pem" ? pem : "");
    expect(
      probotOptionsFromEnv(
        { GHE_HOST: "ghe.example", PRIVATE_KEY_PATH: "/keys/app.pem", LOG_LEVEL: "debug" },
        read,
      ),
    ).toMatchObject({ baseUrl: "https://ghe.example/api/v3", privateKey: pem, logLevel: "debug" });
    const escaped = probotOptionsFromEnv({ PRIVATE_KEY: pem.replace(/\n/g, "\\n") });
    expect(escaped.privateKey?.trim()).toBe(pem.trim());
    expect(probotOptionsFromEnv({}).baseUrl).toBe("https://api.github.com");
  });
});
