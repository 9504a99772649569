import { createPrivateKey } from "node:crypto";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach, beforeEach, describe, expect, it } from "@jest/globals";
import { createAppAuth } from "../../src/auth/create-app-auth.js";
import { createFakeGitHub, type FakeGitHub } from "../helpers/fake-github/index.js";
import { testKeys } from "../helpers/keys.js";
import { APP_ID, appEnv, killChildren, ROOT, runCli } from "./cli-helpers.js";

const FIXTURES = join(ROOT, "fixtures", "webhooks");

describe("hookwright receive (built CLI)", () => {
  let github: FakeGitHub;
  let apiUrl: string;
  let dir: string;

  beforeEach(async () => {
    dir = mkdtempSync(join(tmpdir(), "hookwright-receive-"));
    github = createFakeGitHub({
      appId: APP_ID,
      publicKey: testKeys().publicKey,
      installations: [
        { id: 1, account: { login: "Codertocat" }, repositories: ["Codertocat/Hello-World"] },
      ],
    });
    apiUrl = await github.listen();
  });
  afterEach(async () => {
    killChildren();
    await github.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it("runs the greeter (TypeScript) on a payload file: it comments through the fake and exits 0", async () => {
    const result = await runCli(
      [
        "receive",
        "-e",
        "pull_request.opened",
        "-p",
        join(FIXTURES, "pull_request.opened.installation.json"),
        "greeter",
      ],
      appEnv(apiUrl),
    );
    expect(result.stderr).toBe("");
    expect(result.code).toBe(0);
    expect(github.comments).toHaveLength(1);
    expect(github.comments[0]).toMatchObject({ repo: "Codertocat/Hello-World", issueNumber: 2 });
    const [call] = github.callsTo("POST", /\/issues\/2\/comments$/);
    expect(call?.auth).toMatchObject({ kind: "token", installationId: 1 });
    expect(call?.headers["x-github-delivery"]).toMatch(/^[0-9a-f-]{36}$/);
  });

  it("exits 1 with one line when a handler fails", async () => {
    const plugin = join(dir, "broken.mjs");
    writeFileSync(
      plugin,
      'export default (app) => app.on("pull_request", () => { throw new Error("nope"); });\n',
    );
    const result = await runCli(
      [
        "receive",
        "-e",
        "pull_request",
        "-p",
        join(FIXTURES, "pull_request.opened.installation.json"),
        plugin,
      ],
      appEnv(apiUrl),
    );
    expect(result.code).toBe(1);
    expect(result.stderr).toMatch(/^hookwright: 1 handler failed on pull_request \(delivery /);
    expect(result.stderr.trim().split("\n")).toHaveLength(1);
  });

  it("runs as a GitHub Actions step would: GITHUB_TOKEN and the job's event variables", async () => {
    const { token } = await createAppAuth({
      appId: String(APP_ID),
      privateKey: createPrivateKey(testKeys().privateKeyPem),
      apiUrl,
    }).installationToken(1);
    const result = await runCli(["receive", "greeter"], {
      GITHUB_TOKEN: token,
      GITHUB_API_URL: apiUrl,
      GITHUB_EVENT_NAME: "issues",
      GITHUB_EVENT_PATH: join(FIXTURES, "issues.opened.json"),
      LOG_FORMAT: "json",
    });
    expect(result.stderr).toBe("");
    expect(result.code).toBe(0);
    const [call] = github.callsTo("POST", /\/issues\/1\/comments$/);
    expect(call?.auth).toMatchObject({ kind: "token", token });
    expect(result.stdout).not.toContain(token);
  });
});
