import { mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach, beforeEach, describe, expect, it } from "@jest/globals";
import { parse } from "dotenv";
import { readPrivateKey } from "../../../src/config/read-private-key.js";
import { writeEnvFile } from "../../../src/setup/write-env-file.js";
import { testKeys } from "../../helpers/keys.js";

let dir: string;
let path: string;
beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), "hookwright-env-"));
  path = join(dir, ".env");
});
afterEach(() => rmSync(dir, { recursive: true, force: true }));

describe("writeEnvFile", () => {
  it("replaces assignments in place, appends new ones, and keeps every other line", () => {
    writeFileSync(
      path,
      "# my settings\nAPP_ID=\nPORT=4000\n\n# WEBHOOK_SECRET=old\nLOG_LEVEL=debug\n",
    );
    writeEnvFile(path, { APP_ID: "123", WEBHOOK_SECRET: "s3cret" });
    expect(readFileSync(path, "utf8")).toBe(
      "# my settings\nAPP_ID=123\nPORT=4000\n\n# WEBHOOK_SECRET=old\nLOG_LEVEL=debug\nWEBHOOK_SECRET=s3cret\n",
    );
  });

  it("drops a second assignment of a written variable, which would override it", () => {
    writeFileSync(path, "APP_ID=1\nAPP_ID=2\nexport WEBHOOK_SECRET=x\n");
    writeEnvFile(path, { APP_ID: "3", WEBHOOK_SECRET: "y" });
    expect(readFileSync(path, "utf8")).toBe("APP_ID=3\nWEBHOOK_SECRET=y\n");
  });

  it("writes a PEM that dotenv reads back and that parses as the same key", () => {
    const pem = testKeys().privateKeyPem;
    writeEnvFile(path, { PRIVATE_KEY: pem });
    const parsed = parse(readFileSync(path));
    expect(parsed.PRIVATE_KEY).toBe(pem);
    expect(readPrivateKey(parsed.PRIVATE_KEY!).key.asymmetricKeyType).toBe("rsa");
    expect(readFileSync(path, "utf8").split("\n").filter(Boolean)).toHaveLength(1);
  });

  it("creates the file readable by its owner only, and tightens an existing one", () => {
    writeEnvFile(path, { APP_ID: "1" });
    expect(statSync(path).mode & 0o777).toBe(0o600);
    writeFileSync(path, "APP_ID=1\n", { mode: 0o644 });
    writeEnvFile(path, { APP_ID: "2" });
    expect(statSync(path).mode & 0o777).toBe(0o600);
  });
});
