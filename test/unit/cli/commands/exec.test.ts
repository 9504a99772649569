import { existsSync, mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "@jest/globals";
import { ChildExit } from "../../../../src/cli/child-exit.js";
import { execCommand } from "../../../../src/cli/commands/exec.js";
import { createFakeGitHub } from "../../../helpers/fake-github/index.js";
import { testKeys } from "../../../helpers/keys.js";
import { createManualClock } from "../../../helpers/manual-clock.js";
import { APP_ID, appEnv, captureIo } from "./capture-io.js";

function setup() {
  const clock = createManualClock();
  const github = createFakeGitHub({
    appId: APP_ID,
    publicKey: testKeys().publicKey,
    clock,
    installations: [
      { id: 12, account: { login: "mona", type: "User" }, repositories: ["mona/dotfiles"] },
    ],
  });
  const home = mkdtempSync(join(tmpdir(), "hookwright-exec-"));
  const env = appEnv(undefined, {
    PATH: process.env.PATH ?? "",
    HOME: home,
    GIT_CONFIG_NOSYSTEM: "1",
    GIT_TERMINAL_PROMPT: "0",
    GO: join(home, "go"),
  });
  return { github, clock, env, home, deps: { fetch: github.fetch, clock } };
}

const accepted = async (github: ReturnType<typeof setup>["github"], token: string) =>
  (
    await github.fetch("https://api.github.test/installation/repositories", {
      headers: { authorization: `token ${token}` },
    })
  ).status;

async function until(check: () => boolean) {
  while (!check()) await new Promise((resolve) => setTimeout(resolve, 20));
}

// Prints its token, waits to be told, then asks git for credentials as a push would.
const OUTLIVER = `echo "first=$GH_TOKEN same=$([ "$GH_TOKEN" = "$GITHUB_TOKEN" ] && echo yes)"
echo "key=\${PRIVATE_KEY:-withheld}"
while [ ! -f "$GO" ]; do sleep 0.05; done
printf 'protocol=https\\nhost=github.com\\npath=mona/dotfiles.git\\n\\n' | git credential fill`;

describe("execCommand", () => {
  it("gives a command that outlives its token a renewed one through git, and revokes both at the end", async () => {
    const { github, clock, env, deps } = setup();
    const io = captureIo(env);
    const running = execCommand(
      ["sh", "-c", OUTLIVER],
      { repo: { owner: "mona", name: "dotfiles" } },
      io,
      deps,
    );
    await until(() => io.out().includes("key="));
    const first = /first=(\S+) same=yes/.exec(io.out())?.[1];
    expect(first).toBeDefined();
    expect(io.out()).toContain("key=withheld");
    expect(await accepted(github, first!)).toBe(200);
    // The first token's hour is over while the command still runs.
    clock.advance(61 * 60 * 1000);
    expect(await accepted(github, first!)).toBe(401);
    writeFileSync(env.GO!, "");
    await running;
    expect(io.out()).toContain("username=x-access-token\n");
    const renewed = /password=(\S+)/.exec(io.out())?.[1];
    expect(renewed).toBeDefined();
    expect(renewed).not.toBe(first);
    expect(github.issuedTokens.find((token) => token.token === renewed)?.repositories).toEqual([
      "mona/dotfiles",
    ]);
    // Both revoked once it ended (the expired one answered 401, which is no failure).
    expect(github.callsTo("DELETE", "/installation/token")).toHaveLength(2);
    expect(await accepted(github, renewed!)).toBe(401);
    expect(io.err()).toBe("");
  }, 30_000);

  it("passes the command's exit status on, and still revokes its token", async () => {
    const { github, env, deps } = setup();
    const io = captureIo(env);
    const error = await execCommand(["sh", "-c", "exit 3"], {}, io, deps).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ChildExit);
    expect((error as ChildExit).exitCode).toBe(3);
    expect(github.callsTo("DELETE", "/installation/token")).toHaveLength(1);
    expect(existsSync(env.GO!)).toBe(false);
  });

  it("exits 2 naming a command that does not exist", async () => {
    const { env, deps } = setup();
    const error = await execCommand(["no-such-command-here"], {}, captureIo(env), deps).catch(
      (e: unknown) => e,
    );
    expect((error as Error).message).toBe("command not found: no-such-command-here");
  });
});
