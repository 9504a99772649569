import { createPrivateKey } from "node:crypto";
import { readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { describe, expect, it } from "@jest/globals";
import { exitCodeFor } from "../../../../src/cli/exit-code.js";
import { receiveCommand } from "../../../../src/cli/commands/receive.js";
import { createAppAuth } from "../../../../src/auth/create-app-auth.js";
import type { HookwrightError } from "../../../../src/errors.js";
import type { Env } from "../../../../src/config/read-config.js";
import { createFakeGitHub } from "../../../helpers/fake-github/index.js";
import { testKeys } from "../../../helpers/keys.js";
import { createManualClock } from "../../../helpers/manual-clock.js";
import { APP_ID, appEnv, captureIo } from "./capture-io.js";

const FIXTURES = fileURLToPath(new URL("../../../../fixtures/webhooks/", import.meta.url));
const COMMENTER = `export default (app) => {
  app.on(["issues.opened", "pull_request.opened"], async (context) => {
    await context.octokit.rest.issues.createComment(context.issue({ body: "seen " + context.id }));
  });
};
`;
const THROWER = `export default (app) => {
  app.on("pull_request", async () => { throw new Error("handler broke"); });
};
`;

function setup() {
  const clock = createManualClock();
  const github = createFakeGitHub({
    appId: APP_ID,
    publicKey: testKeys().publicKey,
    clock,
    installations: [
      { id: 1, account: { login: "Codertocat" }, repositories: ["Codertocat/Hello-World"] },
    ],
  });
  return { github, clock, deps: { fetch: github.fetch, clock } };
}

function withPlugins(env: Env, plugins: Record<string, string>) {
  const io = captureIo({ LOG_FORMAT: "json", ...env });
  for (const [name, source] of Object.entries(plugins)) writeFileSync(join(io.cwd, name), source);
  return io;
}

async function outcome(promise: Promise<void>): Promise<HookwrightError | undefined> {
  return promise.then(
    () => undefined,
    (error: unknown) => error as HookwrightError,
  );
}

describe("receiveCommand", () => {
  it("runs the plugin on the payload with an installation client stamped with a delivery id", async () => {
    const { github, deps } = setup();
    const io = withPlugins(appEnv(undefined, { LOG_LEVEL: "info" }), {
      "commenter.mjs": COMMENTER,
    });
    const options = {
      event: "pull_request.opened",
      payload: join(FIXTURES, "pull_request.opened.installation.json"),
    };
    expect(await outcome(receiveCommand(["./commenter.mjs"], options, io, deps))).toBeUndefined();

    expect(github.comments).toHaveLength(1);
    expect(github.comments[0]).toMatchObject({ repo: "Codertocat/Hello-World", issueNumber: 2 });
    const [call] = github.callsTo("POST", /\/issues\/2\/comments$/);
    expect(call?.auth).toMatchObject({ kind: "token", installationId: 1 });
    const delivery = call?.headers["x-github-delivery"];
    expect(delivery).toMatch(/^[0-9a-f-]{36}$/);
    expect(github.comments[0]?.body).toBe(`seen ${delivery}`);
    const handled = io
      .out()
      .split("\n")
      .filter(Boolean)
      .map((line) => JSON.parse(line) as Record<string, unknown>)
      .find((record) => record.msg === "delivery handled");
    expect(handled).toMatchObject({
      deliveryId: delivery,
      event: "pull_request.opened",
      action: "opened",
    });
  });

  it("fails with HANDLER_FAILED (exit 1) when a handler fails, after the other plugins ran", async () => {
    const { github, deps } = setup();
    const io = withPlugins(appEnv(), { "commenter.mjs": COMMENTER, "thrower.mjs": THROWER });
    const error = await outcome(
      receiveCommand(
        ["./thrower.mjs", "./commenter.mjs"],
        { event: "pull_request", payload: join(FIXTURES, "pull_request.opened.installation.json") },
        io,
        deps,
      ),
    );
    expect(error?.code).toBe("HANDLER_FAILED");
    expect(error?.message).toMatch(/^1 handler failed on pull_request \(delivery [0-9a-f-]{36}\)/);
    expect(exitCodeFor(error)).toBe(1);
    expect(github.comments).toHaveLength(1);
    expect(io.out()).toContain("handler broke");
  });

  it("runs inside a GitHub Actions job: GITHUB_TOKEN, GITHUB_EVENT_NAME and GITHUB_EVENT_PATH", async () => {
    const { github, clock, deps } = setup();
    const minted = await createAppAuth({
      appId: String(APP_ID),
      privateKey: createPrivateKey(testKeys().privateKeyPem),
      apiUrl: "https://api.github.test",
      fetch: github.fetch,
      clock,
    }).installationToken(1);
    const io = withPlugins(
      {
        GITHUB_TOKEN: minted.token,
        GITHUB_EVENT_NAME: "issues",
        GITHUB_EVENT_PATH: join(FIXTURES, "issues.opened.json"),
        GITHUB_API_URL: "https://api.github.test",
      },
      { "commenter.mjs": COMMENTER },
    );
    expect(await outcome(receiveCommand(["./commenter.mjs"], {}, io, deps))).toBeUndefined();
    const [call] = github.callsTo("POST", /\/issues\/1\/comments$/);
    expect(call?.auth).toMatchObject({ kind: "token", token: minted.token });
    expect(github.comments).toHaveLength(1);
    expect(io.out()).not.toContain(minted.token);
  });

  it("reads a pull_request_target job's payload as the pull_request event", async () => {
    const { github, deps } = setup();
    const io = withPlugins(appEnv(), { "commenter.mjs": COMMENTER });
    const payload = join(FIXTURES, "pull_request.opened.installation.json");
    await receiveCommand(["./commenter.mjs"], { event: "pull_request_target", payload }, io, deps);
    expect(github.comments).toHaveLength(1);
  });

  it.each([
    [{ payload: "x.json" }, /^name the event with -e/],
    [{ event: "issues" }, /^give the payload with -p/],
    [{ event: "Issues!", payload: "x.json" }, /is not an event name/],
    [{ event: "issues", payload: "missing.json" }, /^cannot read the payload file missing\.json/],
    [
      { event: "issues.closed", payload: join(FIXTURES, "issues.opened.json") },
      /action is "opened", not "closed"/,
    ],
  ])("exits 2 on %j before loading anything", async (options, message) => {
    const { github, deps } = setup();
    const error = await outcome(receiveCommand([], options, captureIo(appEnv()), deps));
    expect(error?.code).toBe("USAGE");
    expect(error?.message).toMatch(message);
    expect(exitCodeFor(error)).toBe(2);
    expect(github.calls).toHaveLength(0);
  });

  it("exits 2 naming APP_ID and GITHUB_TOKEN when there are no credentials", async () => {
    const io = captureIo({});
    const error = await outcome(
      receiveCommand([], { event: "ping", payload: join(FIXTURES, "ping.json") }, io, {}),
    );
    expect(error?.code).toBe("CONFIG_INVALID");
    expect(error?.message).toMatch(/APP_ID .*or GITHUB_TOKEN/);
  });
});

describe("receiveCommand --sandbox", () => {
  it("runs the plugins against a simulated GitHub with no credentials and prints the calls they made", async () => {
    const io = withPlugins({ LOG_LEVEL: "silent" }, { "commenter.mjs": COMMENTER });
    const options = {
      event: "issues.opened",
      payload: join(FIXTURES, "issues.opened.json"),
      sandbox: true,
    };
    expect(await outcome(receiveCommand(["./commenter.mjs"], options, io, {}))).toBeUndefined();
    expect(io.out()).toBe("POST /repos/Codertocat/Hello-World/issues/1/comments → 201\n");
    expect(io.err()).toBe("");
  });
  it("gives plugins the server's app.command and app.schedule: a slash command in a comment runs", async () => {
    const commandPlugin = `export default (app) => {
  app.schedule("nightly", { cron: "0 3 * * *" }, async () => {});
  app.command("hi", { description: "Say hi" }, async (context) => {
    await context.octokit.rest.issues.createComment(context.issue({ body: "hi" }));
  });
};
`;
    const io = withPlugins({ LOG_LEVEL: "silent" }, { "hi.mjs": commandPlugin });
    const payload = JSON.parse(readFileSync(join(FIXTURES, "issue_comment.created.json"), "utf8"));
    payload.comment.body = "/hi";
    writeFileSync(join(io.cwd, "comment.json"), JSON.stringify(payload));
    const options = { event: "issue_comment.created", payload: "comment.json", sandbox: true };
    expect(await outcome(receiveCommand(["./hi.mjs"], options, io, {}))).toBeUndefined();
    expect(io.out()).toMatch(/^POST \/repos\/Codertocat\/Hello-World\/issues\/1\/comments → 201$/m);
  });
});

describe("receiveCommand without a network", () => {
  const unreachable = (code: string): typeof fetch => {
    return async () => {
      throw new TypeError("fetch failed", { cause: Object.assign(new Error(code), { code }) });
    };
  };

  it("reports each failed attempt as it happens, then one line with GITHUB_UNAVAILABLE (exit 1)", async () => {
    const io = withPlugins(
      {
        GITHUB_TOKEN: "ghs_notarealtoken",
        GITHUB_API_URL: "https://api.nowhere.test",
        LOG_LEVEL: "error",
      },
      { "commenter.mjs": COMMENTER },
    );
    const options = { event: "issues.opened", payload: join(FIXTURES, "issues.opened.json") };
    const deps = { fetch: unreachable("ENOTFOUND"), retryBaseMs: 1 };
    const error = await outcome(receiveCommand(["./commenter.mjs"], options, io, deps));
    expect(error?.code).toBe("GITHUB_UNAVAILABLE");
    expect(error?.message).toBe(
      "cannot reach GitHub: api.nowhere.test: DNS lookup failed (ENOTFOUND)",
    );
    expect(exitCodeFor(error)).toBe(1);
    const lines = io.err().split("\n").filter(Boolean);
    expect(lines).toHaveLength(4);
    expect(lines[0]).toBe(
      "hookwright: POST https://api.nowhere.test/repos/Codertocat/Hello-World/issues/1/comments: DNS lookup failed (ENOTFOUND) (attempt 1; retried while the request's budget lasts)",
    );
    // The handler's failure is logged, but as one message: no stack for a network failure.
    expect(io.out()).toContain("DNS lookup failed (ENOTFOUND)");
    expect(io.out()).not.toContain("    at ");
    expect(io.out()).not.toContain("ghs_notarealtoken");
  });

  it("goes on when an attempt fails and the retry is answered", async () => {
    const { github, clock } = setup();
    let first = true;
    const flaky: typeof fetch = async (input, init) => {
      if (first) {
        first = false;
        throw new TypeError("fetch failed", {
          cause: Object.assign(new Error("x"), { code: "ECONNRESET" }),
        });
      }
      return github.fetch(input, init);
    };
    const io = withPlugins(appEnv(), { "commenter.mjs": COMMENTER });
    const options = {
      event: "pull_request.opened",
      payload: join(FIXTURES, "pull_request.opened.installation.json"),
    };
    const error = await outcome(
      receiveCommand(["./commenter.mjs"], options, io, { fetch: flaky, clock, retryBaseMs: 1 }),
    );
    expect(error).toBeUndefined();
    expect(io.err()).toMatch(
      /^hookwright: POST https:\/\/api\.github\.test\/app\/installations\/1\/access_tokens: connection reset \(ECONNRESET\) \(attempt 1;/,
    );
    expect(github.comments).toHaveLength(1);
  });
});
