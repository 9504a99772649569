import { describe, expect, it } from "@jest/globals";
import { Command, CommanderError } from "commander";
import { exitCodeFor } from "../../../../src/cli/exit-code.js";
import { addTokenCommand, tokenCommand } from "../../../../src/cli/commands/token.js";
import { createFakeGitHub, type FakeGitHub } from "../../../helpers/fake-github/index.js";
import { testKeys } from "../../../helpers/keys.js";
import { createManualClock, type ManualClock } from "../../../helpers/manual-clock.js";
import { APP_ID, appEnv, captureIo } from "./capture-io.js";
import { rejectionOf } from "../../../helpers/rejection.js";

function setup(clock: ManualClock = createManualClock(), fakeClock = clock) {
  const github = createFakeGitHub({
    appId: APP_ID,
    publicKey: testKeys().publicKey,
    clock: fakeClock,
    installations: [
      { id: 11, account: { login: "octo-org" }, repositories: ["octo-org/api", "octo-org/web"] },
      { id: 12, account: { login: "mona", type: "User" }, repositories: ["mona/dotfiles"] },
    ],
  });
  return { github, deps: { fetch: github.fetch, clock } };
}

function issued(github: FakeGitHub, token: string) {
  return github.issuedTokens.find((candidate) => candidate.token === token);
}

describe("tokenCommand", () => {
  it("prints exactly one JSON object for the installation on --repo, with a token GitHub accepts", async () => {
    const { github, deps } = setup();
    const io = captureIo(appEnv());
    await tokenCommand({ repo: { owner: "mona", name: "dotfiles" } }, io, deps);

    expect(io.out().endsWith("\n")).toBe(true);
    expect(io.out().trim().split("\n")).toHaveLength(1);
    const answer = JSON.parse(io.out()) as Record<string, unknown>;
    expect(Object.keys(answer).sort()).toEqual([
      "expires_at",
      "installation_id",
      "permissions",
      "repository_selection",
      "token",
    ]);
    expect(answer).toMatchObject({ installation_id: 12, repository_selection: "selected" });
    expect(issued(github, answer.token as string)?.installationId).toBe(12);
    expect(github.callsTo("GET", "/repos/mona/dotfiles/installation")[0]?.auth.kind).toBe("jwt");
    expect(io.err()).toBe("");
  });

  it("sends --repositories and --permissions as the exchange's body and prints the narrowed grant", async () => {
    const { github, deps } = setup();
    const io = captureIo(appEnv());
    await tokenCommand(
      {
        installation: 11,
        repositories: ["api"],
        permissions: { issues: "write", contents: "read" },
      },
      io,
      deps,
    );
    const [exchange] = github.callsTo("POST", "/app/installations/11/access_tokens");
    expect(exchange?.body).toEqual({
      repositories: ["api"],
      permissions: { issues: "write", contents: "read" },
    });
    const answer = JSON.parse(io.out()) as { token: string; permissions: object };
    expect(answer.permissions).toEqual({ issues: "write", contents: "read" });
    expect(issued(github, answer.token)?.repositories).toEqual(["octo-org/api"]);
  });

  it.each([
    [{ org: "octo-org" }, 11, "/orgs/octo-org/installation"],
    [{ user: "mona" }, 12, "/users/mona/installation"],
  ])("finds the installation on %j", async (options, id, path) => {
    const { github, deps } = setup();
    const io = captureIo(appEnv());
    await tokenCommand(options, io, deps);
    expect(JSON.parse(io.out())).toMatchObject({ installation_id: id });
    expect(github.callsTo("GET", path)).toHaveLength(1);
  });

  it.each([
    [
      { repo: { owner: "octo-org", name: "secret" } },
      "the app is not installed on octo-org/secret",
    ],
    [{ org: "nobody" }, "the app is not installed on the organization nobody"],
    [{ user: "nobody" }, "the app is not installed on the user nobody"],
    [{ installation: 99 }, "installation 99 not found for this app"],
  ])("exits 2 with one clear line when %j is not an installation", async (options, message) => {
    const { deps } = setup();
    const io = captureIo(appEnv());
    const error = await rejectionOf(tokenCommand(options, io, deps));
    expect(error.message).toBe(message);
    expect(exitCodeFor(error)).toBe(2);
    expect(io.out()).toBe("");
  });

  it("uses the app's only installation when none is named, and refuses to guess among several", async () => {
    const { github, deps } = setup();
    const several = await rejectionOf(tokenCommand({}, captureIo(appEnv()), deps));
    expect(several.code).toBe("USAGE");
    expect(several.message).toMatch(/has 2 installations: name one with --installation/);

    const single = createFakeGitHub({
      appId: APP_ID,
      publicKey: testKeys().publicKey,
      installations: [{ id: 5, account: { login: "solo" }, repositories: ["solo/one"] }],
    });
    const io = captureIo(appEnv());
    await tokenCommand({}, io, { fetch: single.fetch });
    expect(JSON.parse(io.out())).toMatchObject({ installation_id: 5 });
    expect(github.issuedTokens).toHaveLength(0);
  });

  it("still gets a token when this machine's clock is two hours slow (the JWT is re-dated)", async () => {
    const clock = createManualClock(Date.UTC(2026, 0, 1));
    const github = createManualClock(Date.UTC(2026, 0, 1, 2));
    const { deps } = setup(clock, github);
    const io = captureIo(appEnv());
    await tokenCommand({ installation: 11 }, io, deps);
    expect(JSON.parse(io.out())).toMatchObject({ installation_id: 11 });
  });

  it("says the clock is off, by how much, when a JWT is still refused and GitHub's Date disagrees", async () => {
    const clock = createManualClock(Date.UTC(2026, 0, 1));
    const { github, deps } = setup(clock, createManualClock(Date.UTC(2026, 0, 1, 2)));
    github.failNext(
      { method: "POST", path: /access_tokens$/ },
      { status: 401, body: { message: "'Issued at' claim ('iat') must be an Integer" } },
      2,
    );
    const error = await rejectionOf(tokenCommand({ installation: 11 }, captureIo(appEnv()), deps));
    expect(error.code).toBe("CONFIG_INVALID");
    expect(error.message).toMatch(/clock is off by 7200 seconds \(behind GitHub's\)/);
    expect(exitCodeFor(error)).toBe(2);
  });

  it("names APP_ID and the key's fingerprint when the JWT is refused without any skew", async () => {
    const { deps } = setup();
    const io = captureIo(appEnv(undefined, { APP_ID: "777" }));
    const error = await rejectionOf(tokenCommand({ installation: 11 }, io, deps));
    expect(error.message).toMatch(/^GitHub rejected the app's JWT: check that APP_ID \(777\)/);
    expect(error.message).toMatch(/SHA256:/);
    expect(exitCodeFor(error)).toBe(2);
  });

  it("exits 2 naming APP_ID when the app's credentials are not configured", async () => {
    const error = await rejectionOf(tokenCommand({ installation: 11 }, captureIo({}), {}));
    expect(error.code).toBe("CONFIG_INVALID");
    expect(error.message).toMatch(/^APP_ID is not set/);
  });
});

describe("hookwright token (arguments)", () => {
  async function parse(args: string[]) {
    const { github, deps } = setup();
    const io = captureIo(appEnv());
    let errors = "";
    const program = new Command()
      .exitOverride()
      .configureOutput({ writeErr: (text) => void (errors += text), writeOut: () => undefined });
    addTokenCommand(program, io, deps);
    const outcome = await program.parseAsync(["token", ...args], { from: "user" }).then(
      () => undefined,
      (error: unknown) => error,
    );
    return { outcome, errors, io, github };
  }

  it.each([
    [["--repo", "no-slash"], /--repo <owner\/name>' argument 'no-slash' is invalid/],
    [["--repo", "../x"], /argument '..\/x' is invalid/],
    [["--installation", "abc"], /expected an installation id/],
    [["--repo", "a/b", "--org", "c"], /cannot be used with option '--org/],
    [["--permissions", "issues=rw"], /expected name=read\|write\|admin pairs, got "issues=rw"/],
    [["--repositories", ","], /expected repository names/],
  ])("rejects %j as a usage error before calling GitHub", async (args, message) => {
    const { outcome, errors, github } = await parse(args);
    expect(outcome).toBeInstanceOf(CommanderError);
    expect(errors).toMatch(message);
    expect(github.calls).toHaveLength(0);
  });

  it("parses the flags into the exchange: owner prefixes dropped, permissions paired", async () => {
    const { outcome, github } = await parse([
      "--installation",
      "11",
      "--repositories",
      "octo-org/api, web",
      "--permissions",
      "issues=read,metadata=read",
    ]);
    expect(outcome).toBeUndefined();
    expect(github.callsTo("POST", "/app/installations/11/access_tokens")[0]?.body).toEqual({
      repositories: ["api", "web"],
      permissions: { issues: "read", metadata: "read" },
    });
  });
});

describe("tokenCommand: GITHUB_REQUEST_TIMEOUT_MS", () => {
  it("fails with GITHUB_TIMEOUT (exit 1) when GitHub hangs on the exchange, printing nothing", async () => {
    const { github, deps } = setup();
    github.hangNext({ method: "POST", path: "/app/installations/11/access_tokens" }, 10);
    const io = captureIo(appEnv(undefined, { GITHUB_REQUEST_TIMEOUT_MS: "100" }));
    const started = performance.now();
    const error = await rejectionOf(tokenCommand({ installation: 11 }, io, deps), "GITHUB_TIMEOUT");
    // Three 100 ms attempts and the real 0.4 + 0.8 s backoff between them.
    expect(performance.now() - started).toBeLessThan(5000);
    expect(error.message).toMatch(/within 100 ms \(3 attempts\)$/);
    expect(exitCodeFor(error)).toBe(1);
    expect(github.callsTo("POST", "/app/installations/11/access_tokens")).toHaveLength(3);
    expect(io.out()).toBe("");
  });
});
