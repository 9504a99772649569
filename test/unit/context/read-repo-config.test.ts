import { afterEach, describe, expect, it } from "@jest/globals";
import { createTestApp, type TestApp } from "hookwright/testing";
import { readRepoConfig } from "../../../src/context/read-repo-config.js";
import { rejectionOf } from "../../helpers/rejection.js";

const CONTENTS = "GET /repos/{owner}/{repo}/contents/{path}";

describe("readRepoConfig", () => {
  let app: TestApp;
  afterEach(() => app.close());

  async function setup(files: Record<string, Record<string, string>>, repositories: string[] = []) {
    app = await createTestApp([], { files, repositories: ["octo/hello", ...repositories] });
    const octokit = app.hookwright.clients.forInstallation(1);
    return (file = "bot.yml", repo = "hello", owner = "octo") =>
      readRepoConfig({ octokit, owner, repo, file });
  }

  const failure = (read: Promise<unknown>) => rejectionOf(read, "CONFIG_FILE_INVALID");

  it("reads .github/<file> from the repository's default branch", async () => {
    const read = await setup({});
    app.github.setFile("octo/hello", ".github/bot.yml", "from: main");
    app.github.setDefaultBranch("octo/hello", "trunk");
    app.github.setFile("octo/hello", ".github/bot.yml", "from: trunk\nlist: [1, 2]");
    await expect(read()).resolves.toEqual({
      value: { from: "trunk", list: [1, 2] },
      sources: ["octo/hello:.github/bot.yml"],
    });
    expect(app.github.findCalls(CONTENTS)).toHaveLength(1);
  });

  it("is null without a file in the repository or the owner's .github repository", async () => {
    const read = await setup({}, ["octo/.github"]);
    await expect(read()).resolves.toEqual({
      value: null,
      sources: ["octo/hello:.github/bot.yml", "octo/.github:.github/bot.yml"],
    });
  });

  it("falls back to the owner's .github repository, and prefers the repository's own file", async () => {
    const read = await setup({ "octo/.github": { ".github/bot.yml": "shared: true" } });
    await expect(read()).resolves.toMatchObject({ value: { shared: true } });
    app.github.setFile("octo/hello", ".github/bot.yml", "own: true");
    app.github.reset();
    await expect(read()).resolves.toEqual({
      value: { own: true },
      sources: ["octo/hello:.github/bot.yml"],
    });
    expect(app.github.findCalls(CONTENTS)).toHaveLength(1);
  });

  it("treats an empty file as an empty mapping", async () => {
    const read = await setup({ "octo/hello": { ".github/bot.yml": "# nothing yet\n" } });
    await expect(read()).resolves.toMatchObject({ value: {} });
  });

  it("follows an _extends chain across repositories and owners, the extending file winning", async () => {
    const read = await setup(
      {
        "octo/hello": {
          ".github/bot.yml": "_extends: base\nlabels: { bug: red }\nlist: [own]\n",
        },
        "octo/base": {
          ".github/bot.yml":
            "_extends: acme/policies:bots/common.yml\nlabels: { docs: blue }\nlist: [a, b]\n",
        },
        "acme/policies": { "bots/common.yml": "labels: { bug: grey, ci: green }\nstrict: true\n" },
      },
      ["octo/base", "acme/policies"],
    );
    const resolved = await read();
    expect(resolved.value).toEqual({
      labels: { bug: "red", docs: "blue", ci: "green" },
      list: ["own"],
      strict: true,
    });
    expect(resolved.sources).toEqual([
      "octo/hello:.github/bot.yml",
      "octo/base:.github/bot.yml",
      "acme/policies:bots/common.yml",
    ]);
  });

  it("reports an _extends loop, naming every file in it", async () => {
    const read = await setup(
      {
        "octo/hello": { ".github/bot.yml": "_extends: a\n" },
        "octo/a": { ".github/bot.yml": "_extends: octo/b\n" },
        "octo/b": { ".github/bot.yml": "_extends: A\n" },
      },
      ["octo/a", "octo/b"],
    );
    const error = await failure(read());
    expect(error.message).toBe(
      "_extends loop: octo/hello:.github/bot.yml → octo/a:.github/bot.yml → octo/b:.github/bot.yml → octo/A:.github/bot.yml",
    );
    expect(app.github.findCalls(CONTENTS)).toHaveLength(3);
  });

  it("reports an _extends target that does not exist, and one that is not [owner/]repo[:path]", async () => {
    const read = await setup({ "octo/hello": { ".github/bot.yml": "_extends: gone\n" } });
    expect((await failure(read())).message).toBe(
      "octo/hello:.github/bot.yml extends octo/gone:.github/bot.yml, which does not exist or cannot be read",
    );
    app.github.setFile("octo/hello", ".github/bot.yml", "_extends: [a, b]\n");
    expect((await failure(read())).message).toMatch(
      /has _extends \["a","b"\]; use "\[owner\/\]repo\[:path\]"/,
    );
  });

  it("reports malformed YAML naming the file and the line", async () => {
    const read = await setup({
      "octo/hello": { ".github/bot.yml": "labels:\n  bug: red\n  docs: [blue\nother: 1\n" },
    });
    const error = await failure(read());
    expect(error.message).toMatch(
      /^octo\/hello:\.github\/bot\.yml is not valid YAML \(line \d+\): /,
    );
    expect(error.cause).toBeDefined();
  });

  it("reports a file that is a list or a scalar instead of a mapping", async () => {
    const read = await setup({ "octo/hello": { ".github/bot.yml": "- a\n- b\n" } });
    expect((await failure(read())).message).toBe(
      "octo/hello:.github/bot.yml must be a YAML mapping (key: value), but holds a list",
    );
    app.github.setFile("octo/hello", ".github/bot.yml", "just text");
    expect((await failure(read())).message).toMatch(/but holds a string$/);
  });

  it("never lets a file set __proto__", async () => {
    const read = await setup({
      "octo/hello": { ".github/bot.yml": "__proto__: { polluted: 1 }\nok: 1\n" },
    });
    const { value } = await read();
    expect(value).toEqual({ ok: 1 });
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
  });

  it("passes on GitHub's errors other than 404", async () => {
    const read = await setup({ "octo/hello": { ".github/bot.yml": "a: 1" } });
    app.github.failNext({ path: /contents/ }, { status: 451, body: { message: "Blocked" } });
    await expect(read()).rejects.toMatchObject({ status: 451 });
  });
});
