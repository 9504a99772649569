import { afterEach, describe, expect, it } from "@jest/globals";
import { createTestApp, readFixture, type TestApp } from "hookwright/testing";
import type { App } from "../../../src/index.js";
import type { MergeOptions } from "../../../src/context/merge-config.js";

// context.config() as plugins see it: through the event router, its cache and push handling.
const REPO = "Codertocat/Hello-World";
const CONTENTS = "GET /repos/{owner}/{repo}/contents/{path}";

describe("context.config()", () => {
  let app: TestApp;
  let seen: unknown[];
  afterEach(() => app.close());

  async function start(defaults?: object, mergeOptions?: MergeOptions) {
    seen = [];
    const plugin = (bot: App) =>
      bot.on("issues.opened", async (context) => {
        const config =
          defaults === undefined
            ? await context.config("bot.yml")
            : await context.config("bot.yml", defaults, mergeOptions);
        seen.push(structuredClone(config));
        if (config) (config as { mutated?: boolean }).mutated = true;
      });
    app = await createTestApp(plugin, { repositories: [REPO, "Codertocat/.github"] });
  }

  const issue = () => app.receive("issues.opened");
  function push(overrides: Record<string, unknown> = {}, paths = [".github/bot.yml"]) {
    return app.receive(
      "push",
      readFixture("push", {
        ref: "refs/heads/master",
        forced: false,
        commits: [{ id: "c1", added: [], modified: paths, removed: [] }],
        ...overrides,
      }),
    );
  }

  it("merges the file over the defaults, and gives the defaults or null without a file", async () => {
    await start({ labels: { bug: "red" }, enabled: true });
    await issue();
    app.github.setFile(REPO, ".github/bot.yml", "labels: { docs: blue }\nenabled: false\n");
    await push();
    await issue();
    expect(seen).toEqual([
      { labels: { bug: "red" }, enabled: true },
      { labels: { bug: "red", docs: "blue" }, enabled: false },
    ]);
    await app.close();
    await start();
    await issue();
    expect(seen).toEqual([null]);
  });

  it("concatenates lists as Probot 14 does, and takes deepmerge's options as the third argument", async () => {
    await start({ labels: ["a", "b"], nested: { list: [1] } });
    app.github.setFile(REPO, ".github/bot.yml", "labels: [c]\nnested: { list: [2] }\n");
    await issue();
    expect(seen).toEqual([{ labels: ["a", "b", "c"], nested: { list: [1, 2] } }]);
    await app.close();
    await start(
      { labels: ["a", "b"] },
      { arrayMerge: (_defaults, fromFile: unknown[]) => fromFile },
    );
    app.github.setFile(REPO, ".github/bot.yml", "labels: [c]\n");
    await issue();
    await issue();
    expect(seen).toEqual([{ labels: ["c"] }, { labels: ["c"] }]);
  });

  it("gives null for no file and no defaults, and the defaults' copy for `{}` or no file", async () => {
    await start({});
    await issue();
    expect(seen).toEqual([{}]);
  });

  it("reads the file once for many events, and a handler's changes never reach the cache", async () => {
    await start();
    app.github.setFile(REPO, ".github/bot.yml", "answer: 42\n");
    await issue();
    await issue();
    await issue();
    expect(seen).toEqual([{ answer: 42 }, { answer: 42 }, { answer: 42 }]);
    expect(app.github.findCalls(CONTENTS)).toHaveLength(1);
  });

  it("reads again after a push to the default branch that touches the file", async () => {
    await start();
    app.github.setFile(REPO, ".github/bot.yml", "version: 1\n");
    await issue();
    app.github.setFile(REPO, ".github/bot.yml", "version: 2\n");
    await push({}, ["README.md"]);
    await push({ ref: "refs/heads/feature" });
    await issue();
    expect(app.github.findCalls(CONTENTS)).toHaveLength(1);
    await push();
    await issue();
    expect(seen).toEqual([{ version: 1 }, { version: 1 }, { version: 2 }]);
    expect(app.github.findCalls(CONTENTS)).toHaveLength(2);
  });

  it("reads again after a push to the owner's .github repository that touches the file", async () => {
    await start();
    app.github.setFile("Codertocat/.github", ".github/bot.yml", "shared: 1\n");
    await issue();
    app.github.setFile("Codertocat/.github", ".github/bot.yml", "shared: 2\n");
    await push({ repository: { full_name: "Codertocat/.github", name: ".github" } });
    await issue();
    expect(seen).toEqual([{ shared: 1 }, { shared: 2 }]);
  });

  it("notices a file added to the repository after the owner's .github one was used", async () => {
    await start();
    app.github.setFile("Codertocat/.github", ".github/bot.yml", "from: org\n");
    await issue();
    app.github.setFile(REPO, ".github/bot.yml", "from: repo\n");
    await push({ commits: [{ id: "c2", added: [".github/bot.yml"], modified: [], removed: [] }] });
    await issue();
    expect(seen).toEqual([{ from: "org" }, { from: "repo" }]);
  });

  it("reads everything again after a force push, whose commit list is incomplete", async () => {
    await start();
    app.github.setFile(REPO, ".github/bot.yml", "version: 1\n");
    await issue();
    await push({ forced: true, commits: [] });
    await issue();
    expect(app.github.findCalls(CONTENTS)).toHaveLength(2);
  });

  it("fails the delivery with CONFIG_FILE_INVALID naming a malformed file, and retries it next time", async () => {
    await start();
    app.github.setFile(REPO, ".github/bot.yml", "a: [1\n");
    await expect(issue()).rejects.toThrow(
      "[@probot/octokit-plugin-config] Configuration could not be parsed from https://api.github.com/repos/Codertocat/Hello-World/contents/.github%2Fbot.yml (invalid YAML)",
    );
    const failure = app.logs().find((record) => record.msg === "handler failed");
    expect(failure?.err).toMatchObject({ code: "CONFIG_FILE_INVALID" });
    app.github.setFile(REPO, ".github/bot.yml", "a: [1]\n");
    await issue();
    expect(seen).toEqual([{ a: [1] }]);
  });
});
