import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach, beforeEach, describe, expect, it } from "@jest/globals";
import { createFakeGitHub, type FakeGitHub } from "../helpers/fake-github/index.js";
import { testKeys } from "../helpers/keys.js";
import { APP_ID, appEnv, BIN, killChildren, runProcess } from "./cli-helpers.js";

const HOST = "github.test";

function fields(text: string): Record<string, string> {
  return Object.fromEntries(
    text
      .split("\n")
      .filter((line) => line.includes("="))
      .map((line) => [line.slice(0, line.indexOf("=")), line.slice(line.indexOf("=") + 1)]),
  );
}

describe("hookwright git-credential under the real git", () => {
  let github: FakeGitHub;
  let home: string;
  let env: Record<string, string>;

  beforeEach(async () => {
    home = mkdtempSync(join(tmpdir(), "hookwright-git-"));
    github = createFakeGitHub({
      appId: APP_ID,
      publicKey: testKeys().publicKey,
      installations: [
        { id: 41, account: { login: "octo" }, repositories: ["octo/hello"] },
        { id: 42, account: { login: "mona" }, repositories: ["mona/dotfiles"] },
      ],
    });
    // No user or system git configuration, no prompt, no askpass: only the helper answers.
    env = {
      ...appEnv(await github.listen()),
      GITHUB_URL: `https://${HOST}`,
      HOME: home,
      XDG_CONFIG_HOME: join(home, ".config"),
      GIT_CONFIG_NOSYSTEM: "1",
      GIT_TERMINAL_PROMPT: "0",
      GIT_ASKPASS: "",
      SSH_ASKPASS: "",
    };
  });
  afterEach(async () => {
    killChildren();
    await github.close();
    rmSync(home, { recursive: true, force: true });
  });

  function git(operation: "fill" | "reject", input: string) {
    return runProcess(
      "git",
      [
        "-c",
        `credential.helper=!"${process.execPath}" "${BIN}" git-credential`,
        "-c",
        "credential.useHttpPath=true",
        "credential",
        operation,
      ],
      { env, cwd: home, stdin: input },
    );
  }

  it("fills x-access-token and a token the fake issued to the installation owning the repository", async () => {
    const result = await git("fill", `protocol=https\nhost=${HOST}\npath=mona/dotfiles.git\n\n`);
    expect(result.code).toBe(0);
    const answer = fields(result.stdout);
    expect(answer).toMatchObject({ protocol: "https", host: HOST, username: "x-access-token" });
    const issued = github.issuedTokens.find((token) => token.token === answer.password);
    expect(issued).toMatchObject({ installationId: 42, repositories: ["mona/dotfiles"] });

    // The token works against the API for that repository.
    const response = await fetch(`${env.GITHUB_API_URL}/repos/mona/dotfiles`, {
      headers: { authorization: `token ${answer.password}` },
    });
    expect(response.status).toBe(200);
  });

  it("serves the same token to the next git process from its on-disk cache", async () => {
    const input = `protocol=https\nhost=${HOST}\npath=octo/hello.git\n\n`;
    const first = fields((await git("fill", input)).stdout);
    const second = fields((await git("fill", input)).stdout);
    expect(second.password).toBe(first.password);
    expect(github.issuedTokens).toHaveLength(1);

    // `git credential reject` runs the helper's erase: the next fill mints a new token.
    await git(
      "reject",
      `protocol=https\nhost=${HOST}\npath=octo/hello.git\nusername=x-access-token\npassword=${first.password}\n\n`,
    );
    const third = fields((await git("fill", input)).stdout);
    expect(third.password).not.toBe(first.password);
    expect(github.issuedTokens).toHaveLength(2);
  });

  it("gives git nothing for another host (git then fails, prompts being off)", async () => {
    const result = await git("fill", "protocol=https\nhost=gitlab.test\npath=octo/hello.git\n\n");
    expect(result.code).not.toBe(0);
    expect(fields(result.stdout).password).toBeUndefined();
    expect(result.stdout).not.toMatch(/password=/);
    expect(github.calls).toHaveLength(0);
  });

  it("tells git's user, in one line, that the app is not installed on the repository", async () => {
    const result = await git("fill", `protocol=https\nhost=${HOST}\npath=octo/private.git\n\n`);
    expect(result.stdout).not.toMatch(/password=/);
    expect(result.stderr).toContain("hookwright: the app is not installed on octo/private");
  });
});
