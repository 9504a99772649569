import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach, describe, expect, it } from "@jest/globals";
import { createFakeGitHub, type FakeGitHub } from "../helpers/fake-github/index.js";
import { testKeys } from "../helpers/keys.js";
import { createSignedDelivery, loadFixture } from "../helpers/signed-delivery.js";
import { killChildren, startCli } from "./cli-helpers.js";
const SECRET = "e2e-webhook-secret-7f3a";
const APP_ID = 4242;

describe("hookwright run (built CLI)", () => {
  let github: FakeGitHub | undefined;
  afterEach(async () => {
    killChildren();
    await github?.close();
    github = undefined;
  });

  it("serves a signed delivery to the greeter with an installation token, then exits 0 on SIGTERM", async () => {
    const keys = testKeys();
    github = createFakeGitHub({
      appId: APP_ID,
      publicKey: keys.publicKey,
      installations: [
        { id: 1, account: { login: "Codertocat" }, repositories: ["Codertocat/Hello-World"] },
      ],
    });
    const apiUrl = await github.listen();
    const cli = startCli({
      APP_ID: String(APP_ID),
      PRIVATE_KEY: keys.privateKeyPem.trim().replace(/\n/g, "\\n"),
      WEBHOOK_SECRET: SECRET,
      GITHUB_API_URL: apiUrl,
      PORT: "0",
      HOST: "127.0.0.1",
      LOG_FORMAT: "json",
      PLUGINS: "greeter",
    });
    const listening = await cli.waitFor((record) => record.msg === "listening");
    expect(listening.port).toEqual(expect.any(Number));
    expect(listening.port).not.toBe(0);

    const delivery = createSignedDelivery({
      secret: SECRET,
      event: "pull_request",
      rawBody: loadFixture("pull_request.opened.installation"),
    });
    const response = await fetch(`http://127.0.0.1:${listening.port}/api/github/webhooks`, {
      method: "POST",
      headers: delivery.headers,
      body: delivery.body,
    });
    expect(response.status).toBe(200);
    expect(github.comments).toHaveLength(1);
    expect(github.comments[0]).toMatchObject({ repo: "Codertocat/Hello-World", issueNumber: 2 });
    const [call] = github.callsTo("POST", /\/issues\/2\/comments$/);
    expect(call?.auth).toMatchObject({ kind: "token", installationId: 1 });
    expect(call?.headers["x-github-delivery"]).toBe(delivery.id);

    cli.child.kill("SIGTERM");
    expect(await cli.exited).toBe(0);

    const output = [...cli.stdout, ...cli.stderr];
    const secrets = [
      ...github.issuedTokens.map((issued) => issued.token),
      SECRET,
      ...keys.privateKeyPem.split("\n").filter((line) => line !== "" && !line.startsWith("-----")),
    ];
    expect(github.issuedTokens.length).toBeGreaterThan(0);
    for (const line of output) {
      for (const secret of secrets) expect(line).not.toContain(secret);
    }
    expect(output.join("\n")).not.toContain("PRIVATE KEY");
    expect(cli.stdout.some((line) => line.includes('"plugins":["greeter"]'))).toBe(true);
  });

  it("exits 2 with one stderr line naming PORT when the port is taken", async () => {
    github = createFakeGitHub({ appId: APP_ID, publicKey: testKeys().publicKey });
    const taken = new URL(await github.listen()).port;
    const cli = startCli({
      APP_ID: String(APP_ID),
      PRIVATE_KEY: testKeys().privateKeyPem,
      WEBHOOK_SECRET: SECRET,
      PORT: taken,
      HOST: "127.0.0.1",
      LOG_FORMAT: "json",
      PLUGINS: "greeter",
    });
    expect(await cli.exited).toBe(2);
    expect(cli.stderr).toEqual([
      expect.stringMatching(
        new RegExp(`^hookwright: PORT ${taken} is already in use on 127\\.0\\.0\\.1: `),
      ),
    ]);
  });

  it("starts in sandbox mode without configuration: prints the console URL, and the greeter answers a sample", async () => {
    const cli = startCli({
      // Blank wins over a .env in the repository, so this is the unconfigured start.
      APP_ID: "",
      PRIVATE_KEY: "",
      WEBHOOK_SECRET: "",
      CONSOLE_TOKEN: "",
      HOST: "",
      PORT: "0",
      LOG_FORMAT: "json",
      PLUGINS: "greeter",
    });
    const ready = await cli.waitFor((record) => typeof record.console === "string");
    const consoleUrl = String(ready.console);
    expect(consoleUrl).toMatch(/^http:\/\/127\.0\.0\.1:\d+\/$/);
    expect(String(ready.msg)).toContain(consoleUrl);
    const api = (path: string, init?: RequestInit) =>
      fetch(new URL(`console/api${path}`, consoleUrl), init).then(
        (response) => response.json() as Promise<Record<string, unknown>>,
      );
    const sample = await api("/samples/issues.opened");
    const sent = await api("/send", {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: JSON.stringify({ event: sample.event, payload: sample.payload }),
    });
    expect(sent.status).toBe(200);
    const { deliveries } = (await api("/deliveries")) as {
      deliveries: {
        event: string;
        plugins: string[];
        calls: { path: string }[];
        changes: unknown[];
      }[];
    };
    expect(deliveries[0]).toMatchObject({
      event: "issues.opened",
      plugins: ["greeter"],
      changes: [
        { kind: "comment", body: expect.stringContaining("Thanks for opening this issue") },
      ],
    });
    expect(deliveries[0]!.calls.map((call) => call.path)).toContain(
      "/app/installations/1/access_tokens",
    );
    cli.child.kill("SIGTERM");
    expect(await cli.exited).toBe(0);
    const output = [...cli.stdout, ...cli.stderr].join("\n");
    expect(output).not.toMatch(/PRIVATE KEY|ghs_[A-Za-z0-9]{10}|eyJ[A-Za-z0-9_-]{10}/);
  });

  it.each([
    [
      "a key that is not a PEM",
      { APP_ID: "4242", PRIVATE_KEY: "not-a-key", WEBHOOK_SECRET: SECRET },
      /^hookwright: PRIVATE_KEY: not a PEM key/,
    ],
    [
      "production without APP_ID (never the sandbox)",
      { NODE_ENV: "production", APP_ID: "", PORT: "0", HOST: "127.0.0.1" },
      /^hookwright: APP_ID is required when NODE_ENV=production/,
    ],
  ])("exits 2 with one stderr line on %s", async (_label, env, line) => {
    const cli = startCli(env);
    expect(await cli.exited).toBe(2);
    expect(cli.stderr).toEqual([expect.stringMatching(line)]);
    expect(cli.stdout).toEqual([]);
  });

  it("exits 2 naming the file, line, column and the compiler's reason when a TypeScript plugin does not compile", async () => {
    const dir = mkdtempSync(join(tmpdir(), "hookwright-broken-"));
    const file = join(dir, "broken.ts");
    writeFileSync(join(dir, "package.json"), '{"type":"module"}\n');
    writeFileSync(
      file,
      "export default (app: unknown) => {\n  void app;\n  const x = 1 oops;\n};\n",
    );
    try {
      const cli = startCli({
        APP_ID: "4242",
        PRIVATE_KEY: testKeys().privateKeyPem,
        WEBHOOK_SECRET: SECRET,
        PORT: "0",
        HOST: "127.0.0.1",
        PLUGINS: file,
      });
      expect(await cli.exited).toBe(2);
      expect(cli.stderr).toEqual([
        `hookwright: plugin "${file}" failed to load: ${file}:3:14: Expected ";" but found "oops"`,
      ]);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
