import { afterEach, describe, expect, it } from "@jest/globals";
import { createFakeGitHub, type FakeGitHub } from "../helpers/fake-github/index.js";
import { testKeys } from "../helpers/keys.js";
import { APP_ID, appEnv, killChildren, runCli } from "./cli-helpers.js";

describe("hookwright token and installations (built CLI)", () => {
  let github: FakeGitHub | undefined;
  afterEach(async () => {
    killChildren();
    await github?.close();
    github = undefined;
  });

  async function start(): Promise<{ apiUrl: string; fake: FakeGitHub }> {
    const fake = createFakeGitHub({
      appId: APP_ID,
      publicKey: testKeys().publicKey,
      installations: [
        { id: 21, account: { login: "octo-org" }, repositories: ["octo-org/api", "octo-org/web"] },
        {
          id: 22,
          account: { login: "mona", type: "User" },
          repositories: ["mona/dotfiles"],
          suspended: true,
        },
      ],
    });
    github = fake;
    return { apiUrl: await fake.listen(), fake };
  }

  it("prints only the token JSON on stdout; the token works and the scope reached GitHub", async () => {
    const { apiUrl, fake } = await start();
    const result = await runCli(
      ["token", "--repo", "octo-org/api", "--repositories", "api", "--permissions", "issues=write"],
      appEnv(apiUrl),
    );
    expect(result.stderr).toBe("");
    expect(result.code).toBe(0);
    const answer = JSON.parse(result.stdout) as Record<string, unknown>;
    expect(result.stdout).toBe(`${JSON.stringify(answer)}\n`);
    expect(answer).toMatchObject({
      installation_id: 21,
      permissions: { issues: "write" },
      repository_selection: "selected",
      expires_at: expect.stringMatching(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ$/),
    });
    expect(fake.callsTo("POST", "/app/installations/21/access_tokens")[0]?.body).toEqual({
      repositories: ["api"],
      permissions: { issues: "write" },
    });

    // The printed token is one GitHub accepts for that repository.
    const response = await fetch(`${apiUrl}/repos/octo-org/api/issues/1/comments`, {
      method: "POST",
      headers: { authorization: `token ${answer.token as string}` },
      body: JSON.stringify({ body: "from a shell script" }),
    });
    expect(response.status).toBe(201);
  });

  it("exits 2 with one line when the app is not installed on the repository", async () => {
    const { apiUrl } = await start();
    const result = await runCli(["token", "--repo", "octo-org/secret"], appEnv(apiUrl));
    expect(result.code).toBe(2);
    expect(result.stdout).toBe("");
    expect(result.stderr).toBe("hookwright: the app is not installed on octo-org/secret\n");
  });

  it("exits 2 on a malformed flag, before calling GitHub", async () => {
    const { apiUrl, fake } = await start();
    const result = await runCli(["token", "--permissions", "issues"], appEnv(apiUrl));
    expect(result.code).toBe(2);
    expect(result.stderr.trim().split("\n")).toHaveLength(1);
    expect(fake.calls).toHaveLength(0);
  });

  it("lists every installation as JSON with --json", async () => {
    const { apiUrl } = await start();
    const result = await runCli(["installations", "--json"], appEnv(apiUrl));
    expect(result.code).toBe(0);
    expect(JSON.parse(result.stdout)).toEqual([
      {
        id: 21,
        account: "octo-org",
        target_type: "Organization",
        repository_selection: "selected",
        suspended: false,
      },
      {
        id: 22,
        account: "mona",
        target_type: "User",
        repository_selection: "selected",
        suspended: true,
      },
    ]);
  });

  it.each(["token", "installations", "git-credential", "receive"])(
    "explains `%s` with --help and exits 0",
    async (command) => {
      const result = await runCli([command, "--help"], {});
      expect(result.code).toBe(0);
      expect(result.stdout).toMatch(new RegExp(`^Usage: hookwright ${command}`));
    },
  );
});
