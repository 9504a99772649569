import { execFile } from "node:child_process";
import { generateKeyPairSync } from "node:crypto";
import { mkdirSync, writeFileSync } from "node:fs";
import { fileURLToPath } from "node:url";
import { promisify } from "node:util";
import { afterEach, describe, expect, it } from "@jest/globals";
import request from "supertest";
import greeter from "../../plugins/greeter/index.js";
import labeler from "../../plugins/labeler/index.js";
import { createApp, type Hookwright } from "../../src/app/create-app.js";
import { createConsole } from "../../src/console/create-console.js";
import { createDeliveryLog } from "../../src/console/delivery-log.js";
import { createFakeGitHub, readFixture } from "../../src/testing/index.js";
import { captureLogs } from "../helpers/capture-logs.js";

const ROOT = fileURLToPath(new URL("../../", import.meta.url));
const OUTPUT = fileURLToPath(new URL("../../test-output/copied/", import.meta.url));
const FIXTURES = fileURLToPath(new URL("../../fixtures/webhooks/", import.meta.url));
const REPO = "Codertocat/Hello-World";
const CONFIG = "labels:\n  crash:\n    keywords: [crashes]\n";

let hookwright: Hookwright | undefined;
let logs: ReturnType<typeof captureLogs>;
afterEach(async () => {
  await hookwright?.close(100);
  hookwright = undefined;
});

async function start() {
  const { privateKey, publicKey } = generateKeyPairSync("rsa", { modulusLength: 2048 });
  const github = createFakeGitHub({
    appId: 1,
    publicKey,
    installations: [{ id: 1, account: { login: "Codertocat" }, repositories: [REPO] }],
  });
  github.setFile(REPO, ".github/labeler.yml", CONFIG);
  logs = captureLogs();
  const log = createDeliveryLog();
  hookwright = createApp({
    credentials: { appId: "1", privateKey, webhookSecrets: ["secret"] },
    github: { apiUrl: "https://api.github.test" },
    dependencies: { logger: logs.logger, fetch: github.fetch },
  });
  log.attach(hookwright.events);
  const deliveryConsole = createConsole({
    log,
    receiver: hookwright.receiver,
    secret: "secret",
    token: undefined,
    fixturesDir: FIXTURES,
    logger: logs.logger,
    webUrl: "https://github.com",
  });
  hookwright.getRouter("/").use(deliveryConsole.router);
  await hookwright.load(greeter, "greeter");
  await hookwright.load(labeler, "labeler");
  return hookwright;
}

describe("Copy as test", () => {
  it("downloads a hookwright/testing test of a delivery that passes when run as is", async () => {
    const app = await start();
    const payload = readFixture("issues.opened", {
      installation: { id: 1 },
      issue: { title: "It crashes on start" },
    });
    const sent = await request(app.express)
      .post("/console/api/send")
      .send({ event: "issues.opened", payload: JSON.stringify(payload) });
    expect(sent.body).toMatchObject({ status: 200 });
    expect(logs.records().filter((record) => record.level === 50)).toEqual([]);
    const copied = await request(app.express).get("/console/api/deliveries/1/test").expect(200);
    expect(copied.headers["content-disposition"]).toBe(
      'attachment; filename="issues.opened-1.test.ts"',
    );
    const text = copied.text;
    expect(text).toContain('import plugin0 from "../../plugins/greeter/index.js";');
    // The file the labeler read, and one expectCall per write.
    expect(text).toContain(
      '".github/labeler.yml": "labels:\\n  crash:\\n    keywords: [crashes]\\n"',
    );
    expect(text.match(/app\.github\.expectCall\(/g)).toHaveLength(2);
    expect(text).toContain('"POST /repos/Codertocat/Hello-World/issues/1/labels"');
    await request(app.express).get("/console/api/deliveries/9/test").expect(404);

    // Saved beside the plugins' own tests' depth, it runs green under jest as it stands.
    mkdirSync(OUTPUT, { recursive: true });
    writeFileSync(`${OUTPUT}issues-opened.test.ts`, text);
    const jest = await promisify(execFile)(
      process.execPath,
      [
        "--experimental-vm-modules",
        "node_modules/jest/bin/jest.js",
        "--testMatch",
        "<rootDir>/test-output/copied/*.test.ts",
        "--ci",
      ],
      { cwd: ROOT, env: { ...process.env, NODE_OPTIONS: "" } },
    );
    expect(jest.stderr).toMatch(/Tests:\s+1 passed, 1 total/);
  }, 60_000);
});
