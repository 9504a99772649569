import { afterEach, describe, expect, it } from "@jest/globals";
import { createTestApp, readFixture, type TestApp } from "hookwright/testing";
import labeler from "../../plugins/labeler/index.js";
import { globToRegExp } from "../../plugins/labeler/rules.js";

const REPO = "Codertocat/Hello-World";
const LABELS = "POST /repos/{owner}/{repo}/issues/{issue_number}/labels";
const CONFIG = `
labels:
  bug:
    keywords: [crash, "does not start"]
  documentation:
    keywords: [spelling, typo]
    paths: ["docs/**", "**/*.md"]
  ci:
    paths: [".github/workflows/*.yml"]
`;

function issue(title: string, body = "", labels: { name: string }[] = []) {
  return readFixture("issues.opened", { issue: { title, body, labels } });
}

function pull(files: string[], app: TestApp) {
  app.github.setPullRequestFiles(REPO, 2, files);
  return readFixture("pull_request.opened.installation", {
    pull_request: { title: "Update things", body: "Small change.", labels: [] },
  });
}

describe("labeler", () => {
  let app: TestApp;
  afterEach(() => app.close());

  async function start(config: string | null = CONFIG) {
    app = await createTestApp(labeler, {
      files: config === null ? {} : { [REPO]: { ".github/labeler.yml": config } },
      repositories: [REPO],
    });
  }

  it("labels an issue whose title or body holds a keyword, ignoring case", async () => {
    await start();
    await app.receive("issues.opened", issue("App CRASH on launch", "Also a typo in the docs."));
    app.github.expectCall(`POST /repos/${REPO}/issues/1/labels`, {
      labels: ["bug", "documentation"],
    });
    expect(app.github.issueLabels(REPO, 1)).toEqual(["bug", "documentation"]);
  });

  it("matches whole words and phrases only", async () => {
    await start();
    await app.receive("issues.opened", issue("Crashes in the debugger", "It does not start."));
    app.github.expectCall(LABELS, { labels: ["bug"] });
    await app.receive("issues.opened", issue("Crashes in the debugger", "Not a misspelling."));
    expect(app.github.findCalls(LABELS)).toHaveLength(1);
  });

  it("labels a pull request from the paths it changes", async () => {
    await start();
    await app.receive("pull_request.opened", pull(["docs/guide/intro.txt", "src/a.ts"], app));
    app.github.expectCall(`POST /repos/${REPO}/issues/2/labels`, { labels: ["documentation"] });
    await app.receive("pull_request.opened", pull([".github/workflows/ci.yml"], app));
    app.github.expectCall(LABELS, { labels: ["ci"] });
    await app.receive("pull_request.opened", pull(["src/README.md.bak", "x/y.ymlx"], app));
    expect(app.github.findCalls(LABELS)).toHaveLength(2);
  });

  it("re-checks a pull request's files when commits are pushed to it", async () => {
    await start();
    app.github.setPullRequestFiles(REPO, 2, ["README.md"]);
    await app.receive("pull_request.synchronize");
    app.github.expectCall(LABELS, { labels: ["documentation"] });
  });

  it("adds only labels the issue does not already have", async () => {
    await start();
    await app.receive("issues.opened", issue("crash and typo", "", [{ name: "bug" }]));
    app.github.expectCall(LABELS, { labels: ["documentation"] });
    await app.receive("issues.opened", issue("crash", "", [{ name: "bug" }]));
    expect(app.github.findCalls(LABELS)).toHaveLength(1);
  });

  it("does nothing in a repository without .github/labeler.yml", async () => {
    await start(null);
    await app.receive("issues.opened", issue("crash"));
    expect(app.github.writes()).toEqual([]);
    expect(app.github.findCalls("GET /repos/{owner}/{repo}/contents/{path}")).toHaveLength(2);
  });

  it("uses the owner's .github repository's labeler.yml when the repository has none", async () => {
    await start(null);
    app.github.setFile("Codertocat/.github", ".github/labeler.yml", CONFIG);
    await app.receive("issues.opened", issue("crash"));
    app.github.expectCall(LABELS, { labels: ["bug"] });
  });

  it("fails the delivery with a message naming the file and key when the schema is wrong", async () => {
    await start("labels:\n  bug:\n    keywords: crash, typo\n    paths: {docs: 1}\n");
    await expect(app.receive("issues.opened", issue("crash"))).rejects.toThrow(
      /\.github\/labeler\.yml: labels\.bug\.paths must be a list of strings/,
    );
    expect(app.github.writes()).toEqual([]);
  });

  it("leaves issues opened by bots alone", async () => {
    await start();
    await app.receive("issues.opened", readFixture("issues.opened", { sender: { type: "Bot" } }));
    expect(app.github.calls).toEqual([]);
  });
});

describe("labeler path globs", () => {
  it.each([
    ["**/*.md", "README.md", true],
    ["**/*.md", "docs/a/b.md", true],
    ["**/test/*.ts", "test/a.ts", true],
    ["**/test/*.ts", "src/test/a.ts", true],
    ["**/test/*.ts", "src/mytest/a.ts", false],
    ["docs/*", "docs/a/b.md", false],
    ["src/?.ts", "src/a.ts", true],
    ["src/?.ts", "src/ab.ts", false],
    ["a.b", "axb", false],
  ])("%s on %s: %s", (glob, path, expected) => {
    expect(globToRegExp(glob).test(path)).toBe(expected);
  });
});
