import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach, beforeEach, describe, expect, it } from "@jest/globals";
import { withDotenv } from "../../../src/config/load-dotenv.js";
import { readConfig } from "../../../src/config/read-config.js";
import { testKeys } from "../../helpers/keys.js";

describe("withDotenv", () => {
  let dir: string;
  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), "hookwright-dotenv-"));
  });
  afterEach(() => {
    rmSync(dir, { recursive: true, force: true });
  });

  it("fills in variables from .env, the environment winning", () => {
    writeFileSync(join(dir, ".env"), "APP_ID=1\nPORT=4000\nLOG_LEVEL=debug\n");
    const env = withDotenv({ PORT: "5000", HOST: "127.0.0.1" }, join(dir, ".env"));
    expect(env).toEqual({ APP_ID: "1", PORT: "5000", LOG_LEVEL: "debug", HOST: "127.0.0.1" });
  });

  it("returns the environment unchanged without a .env file", () => {
    const env = { PORT: "5000" };
    expect(withDotenv(env, join(dir, ".env"))).toBe(env);
  });

  it("parses a multi-line quoted PEM that readConfig accepts as the app key", () => {
    const pem = testKeys().privateKeyPem.trim();
    writeFileSync(
      join(dir, ".env"),
      `APP_ID=4242\nPRIVATE_KEY="${pem}"\nWEBHOOK_SECRET=s3cret # the secret\n`,
    );
    const env = withDotenv({}, join(dir, ".env"));
    expect(env.PRIVATE_KEY).toBe(pem);
    expect(env.WEBHOOK_SECRET).toBe("s3cret");
    const { app } = readConfig(env);
    expect(app?.privateKey.key.asymmetricKeyType).toBe("rsa");
  });
});
