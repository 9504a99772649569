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

  const url = (repo: string, path = ".github/bot.yml") =>
    `https://api.github.com/repos/${repo}/contents/${encodeURIComponent(path)}`;

  it("reads .github/<file> from the repository's default branch", async () => {
    const read = await setup({});
    app.github.setFile("octo/hello", ".github/bot.yml", "from: main");
    app.github.setDefaultBranch("octo/hello", "trunk");
    app.github.setFile("octo/hello", ".github/bot.yml", "from: trunk\nlist: [1, 2]");
    await expect(read()).resolves.toMatchObject({
      layers: [{ from: "trunk", list: [1, 2] }],
      found: true,
      sources: ["octo/hello:.github/bot.yml"],
    });
    expect(app.github.findCalls(CONTENTS)).toHaveLength(1);
  });

  it("finds nothing without a file in the repository or the owner's .github repository", async () => {
    const read = await setup({}, ["octo/.github"]);
    await expect(read()).resolves.toMatchObject({
      layers: [],
      found: false,
      sources: ["octo/hello:.github/bot.yml", "octo/.github:.github/bot.yml"],
    });
  });

  it("falls back to the owner's .github repository, and prefers the repository's own file", async () => {
    const read = await setup({ "octo/.github": { ".github/bot.yml": "shared: true" } });
    await expect(read()).resolves.toMatchObject({ layers: [{ shared: true }] });
    app.github.setFile("octo/hello", ".github/bot.yml", "own: true");
    app.github.reset();
    await expect(read()).resolves.toMatchObject({
      layers: [{ own: true }],
      found: true,
      sources: ["octo/hello:.github/bot.yml"],
    });
    expect(app.github.findCalls(CONTENTS)).toHaveLength(1);
  });

  it("treats an empty file as an empty mapping", async () => {
    const read = await setup({ "octo/hello": { ".github/bot.yml": "# nothing yet\n" } });
    await expect(read()).resolves.toMatchObject({ layers: [{}], found: true });
  });

  it("follows an _extends chain relative to the event's repository, furthest file first", async () => {
    const read = await setup(
      {
        "octo/hello": { ".github/bot.yml": "_extends: base\nlist: [own]\n" },
        "octo/base": { ".github/bot.yml": "_extends: acme/policies:bots/common.yml\nlist: [a]\n" },
        "acme/policies": { "bots/common.yml": "_extends: shared\nstrict: true\n" },
        // `shared` is octo's (the event's owner), not acme's: Probot resolves it so.
        "octo/shared": { ".github/bot.yml": "from: octo-shared\n" },
      },
      ["octo/base", "acme/policies", "octo/shared"],
    );
    const resolved = await read();
    expect(resolved.layers).toEqual([
      { from: "octo-shared" },
      { strict: true },
      { list: ["a"] },
      { list: ["own"] },
    ]);
    expect(resolved.sources).toEqual([
      "octo/hello:.github/bot.yml",
      "octo/base:.github/bot.yml",
      "acme/policies:bots/common.yml",
      "octo/shared:.github/bot.yml",
    ]);
  });

  it("ends the chain at an _extends target that does not exist", async () => {
    const read = await setup({ "octo/hello": { ".github/bot.yml": "_extends: gone\nown: 1\n" } });
    await expect(read()).resolves.toMatchObject({ layers: [{ own: 1 }], found: true });
  });

  it("reports an _extends loop in Probot's words", async () => {
    const read = await setup(
      {
        "octo/hello": { ".github/bot.yml": "_extends: a\n" },
        "octo/a": { ".github/bot.yml": "_extends: octo/b\n" },
        "octo/b": { ".github/bot.yml": "_extends: a\n" },
      },
      ["octo/a", "octo/b"],
    );
    expect((await failure(read())).message).toBe(
      `[@probot/octokit-plugin-config] Recursion detected. Ignoring  "_extends: a" from ${url("octo/b")} because ${url("octo/a")} was already loaded.`,
    );
    expect(app.github.findCalls(CONTENTS)).toHaveLength(3);
  });

  it("reports an _extends value that is not [owner/]repo[:path.yml]", async () => {
    const read = await setup({ "octo/hello": { ".github/bot.yml": "_extends: [a, b]\n" } });
    expect((await failure(read())).message).toBe(
      `[@probot/octokit-plugin-config] Invalid value ["a","b"] for _extends in ${url("octo/hello")}`,
    );
    app.github.setFile("octo/hello", ".github/bot.yml", "_extends: a:b.txt\n");
    expect((await failure(read())).message).toBe(
      `[@probot/octokit-plugin-config] Invalid value "a:b.txt" for _extends in ${url("octo/hello")}`,
    );
  });

  it("reports malformed YAML in Probot's words, the parser's error as the cause", async () => {
    const read = await setup({
      "octo/hello": { ".github/bot.yml": "labels:\n  bug: red\n  docs: [blue\nother: 1\n" },
    });
    const error = await failure(read());
    expect(error.message).toBe(
      `[@probot/octokit-plugin-config] Configuration could not be parsed from ${url("octo/hello")} (invalid YAML)`,
    );
    expect(error.cause).toBeDefined();
  });

  it("reports a file that holds no mapping", async () => {
    const read = await setup({ "octo/hello": { ".github/bot.yml": "just text" } });
    expect((await failure(read())).message).toBe(
      `[@probot/octokit-plugin-config] Configuration could not be parsed from ${url("octo/hello")} (YAML is not an object)`,
    );
  });

  it("reads .json files as JSON and refuses other extensions", async () => {
    const read = await setup({ "octo/hello": { ".github/bot.json": '{"a": [1]}' } });
    await expect(read("bot.json")).resolves.toMatchObject({ layers: [{ a: [1] }] });
    app.github.setFile("octo/hello", ".github/bot.json", "{oops");
    expect((await failure(read("bot.json"))).message).toMatch(/\(invalid JSON\)$/);
    expect((await failure(read("bot.txt"))).message).toBe(
      '[@probot/octokit-plugin-config] .txt extension is not support for configuration (path: ".github/bot.txt")',
    );
  });

  it("passes on GitHub's errors other than 404", async () => {
    const read = await setup({ "octo/hello": { ".github/bot.yml": "a: 1" } });
    app.github.failNext({ path: /contents/ }, { status: 451, body: { message: "Blocked" } });
    await expect(read()).rejects.toMatchObject({ status: 451 });
  });
});
