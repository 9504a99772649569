import { afterEach, describe, expect, it } from "@jest/globals";
import { Octokit as Core } from "@octokit/core";
import { composeConfigGet } from "@probot/octokit-plugin-config";
import deepmerge from "deepmerge";
import { createTestApp, readFixture, type TestApp } from "hookwright/testing";
import type { App } from "../../../src/index.js";
import type { MergeOptions } from "../../../src/context/merge-config.js";

// The same repository files read twice: by Probot's own reader (@probot/octokit-plugin-config,
// merged as Probot 14's context.config merges its result), and by Hookwright's context.config
// through the event router and its cache. The two must agree, value for value.

type Files = Record<string, Record<string, string>>;

interface Case {
  name: string;
  files: Files;
  repo?: string;
  defaults?: object;
  mergeOptions?: MergeOptions;
}

const OWNER = "octo";

/** The fake GitHub answers the contents API in JSON; Probot asks for the raw media type. */
function rawContents(fetch: typeof globalThis.fetch): typeof globalThis.fetch {
  return async (input, init) => {
    const response = await fetch(input, init);
    const accept = new Headers(init?.headers).get("accept") ?? "";
    if (!accept.includes("raw") || !response.ok) return response;
    const data = (await response.json()) as { content?: string } | unknown[];
    if (Array.isArray(data) || typeof data.content !== "string") {
      return Response.json(data, {
        headers: { "content-type": "application/json; charset=utf-8" },
      });
    }
    return new Response(Buffer.from(data.content, "base64").toString("utf8"), {
      headers: { "content-type": "application/vnd.github.raw; charset=utf-8" },
    });
  };
}

/** Probot 14's context.config, over its own reader. */
async function probotConfig(
  octokit: Core,
  repo: string,
  file: string,
  defaults?: object,
  mergeOptions?: MergeOptions,
): Promise<unknown> {
  const { config, files } = await composeConfigGet(octokit, {
    owner: OWNER,
    repo,
    path: `.github/${file}`,
    defaults: (configs) =>
      deepmerge.all([defaults || {}, ...configs], mergeOptions) as Record<string, unknown>,
  });
  if (!defaults && !files.some((found) => found.config !== null)) return null;
  return config;
}

const repositories = ["octo/hello", "octo/.github", "octo/base", "octo/shared", "acme/policies"];

async function readBoth(testCase: Case) {
  const repo = testCase.repo ?? "hello";
  let seen: unknown;
  const plugin = (app: App) =>
    app.on("issues.opened", async (context) => {
      seen = testCase.defaults
        ? await context.config("bot.yml", testCase.defaults, testCase.mergeOptions)
        : await context.config("bot.yml");
    });
  app = await createTestApp(plugin, { files: testCase.files, repositories });
  const { token } = await app.hookwright.auth.installationToken(1);
  const reference = new Core({
    auth: token,
    request: { fetch: rawContents(app.github.fetch as typeof fetch) },
  });
  let expected: unknown;
  let expectedError: unknown;
  try {
    expected = await probotConfig(
      reference,
      repo,
      "bot.yml",
      testCase.defaults,
      testCase.mergeOptions,
    );
  } catch (error) {
    expectedError = error;
  }
  const payload = readFixture("issues.opened", {
    repository: { name: repo, full_name: `${OWNER}/${repo}`, owner: { login: OWNER } },
  });
  let actualError: unknown;
  try {
    await app.receive("issues.opened", payload);
  } catch (error) {
    actualError = (error as { cause?: { errors?: unknown[] } }).cause?.errors?.[0] ?? error;
  }
  return { expected, expectedError, actual: seen, actualError };
}

let app: TestApp | undefined;
afterEach(async () => {
  await app?.close();
  app = undefined;
});

const overwrite: MergeOptions = { arrayMerge: (_target, source: unknown[]) => source };

const CASES: Case[] = [
  {
    name: "a file over defaults: mappings merged, lists concatenated",
    files: { "octo/hello": { ".github/bot.yml": "labels: [c]\nnested: { a: 1, list: [x] }\n" } },
    defaults: { labels: ["a", "b"], nested: { b: 2, list: ["w"] } },
  },
  { name: "no file and no defaults", files: {} },
  { name: "no file, with defaults", files: {}, defaults: { on: true, list: [1] } },
  { name: "no file, with empty defaults", files: {}, defaults: {} },
  { name: "an empty file", files: { "octo/hello": { ".github/bot.yml": "# nothing\n" } } },
  {
    name: "the owner's .github repository as fallback",
    files: { "octo/.github": { ".github/bot.yml": "from: org\nlist: [org]\n" } },
    defaults: { list: ["default"] },
  },
  {
    name: "the repository's own file wins over the .github repository's",
    files: {
      "octo/hello": { ".github/bot.yml": "from: repo\n" },
      "octo/.github": { ".github/bot.yml": "from: org\n" },
    },
  },
  {
    name: "_extends a repository of the same owner, lists of both kept",
    files: {
      "octo/hello": { ".github/bot.yml": "_extends: base\nlabels: [own]\nlevel: repo\n" },
      "octo/base": { ".github/bot.yml": "labels: [org]\nlevel: base\nonly: base\n" },
    },
    defaults: { labels: ["default"] },
  },
  {
    name: "_extends another owner's repository and path",
    files: {
      "octo/hello": { ".github/bot.yml": "_extends: acme/policies:bots/common.yml\nmine: 1\n" },
      "acme/policies": { "bots/common.yml": "policy: strict\nlist: [acme]\n" },
    },
  },
  {
    name: "a chain whose relative link resolves against the event's owner",
    files: {
      "octo/hello": { ".github/bot.yml": "_extends: acme/policies:bots/common.yml\nlist: [1]\n" },
      "acme/policies": { "bots/common.yml": "_extends: shared\nlist: [2]\n" },
      "octo/shared": { ".github/bot.yml": "list: [3]\nfrom: octo-shared\n" },
    },
    defaults: { list: [0] },
  },
  {
    name: "the .github repository's file extending another",
    files: {
      "octo/.github": { ".github/bot.yml": "_extends: base\norg: true\n" },
      "octo/base": { ".github/bot.yml": "base: true\n" },
    },
  },
  {
    name: "an _extends target that does not exist",
    files: { "octo/hello": { ".github/bot.yml": "_extends: gone\nkept: yes\n" } },
    defaults: { list: [1] },
  },
  {
    name: "the .github repository's file extending a missing target, no defaults",
    files: { "octo/.github": { ".github/bot.yml": "_extends: gone\n" } },
  },
  {
    name: "arrayMerge: overwrite, through a chain",
    files: {
      "octo/hello": { ".github/bot.yml": "_extends: base\nlabels: [own]\n" },
      "octo/base": { ".github/bot.yml": "labels: [org]\nkeep: [base]\n" },
    },
    defaults: { labels: ["default"], keep: ["default"] },
    mergeOptions: overwrite,
  },
  {
    name: "customMerge for one key",
    files: { "octo/hello": { ".github/bot.yml": "tags: { a: 1 }\nother: { b: 2 }\n" } },
    defaults: { tags: { z: 0 }, other: { y: 1 } },
    mergeOptions: { customMerge: (key) => (key === "tags" ? (_a, b) => b : undefined) },
  },
  {
    name: "a file read in the .github repository itself, with no fallback",
    repo: ".github",
    files: {},
    defaults: { x: 1 },
  },
];

describe("context.config() agrees with Probot's reader", () => {
  it.each(CASES)("$name", async (testCase) => {
    const { expected, expectedError, actual, actualError } = await readBoth(testCase);
    expect(expectedError).toBeUndefined();
    expect(actualError).toBeUndefined();
    expect(actual).toEqual(expected);
  });

  it.each([
    ["YAML that does not parse", "a: [1\n"],
    ["YAML that is a string", "just text\n"],
    ["an _extends value that is not a repository", "_extends: 'a:b.txt'\n"],
  ])("fails with Probot's words for %s", async (_name, text) => {
    const { expectedError, actualError } = await readBoth({
      name: "",
      files: { "octo/hello": { ".github/bot.yml": text } },
    });
    expect(expectedError).toBeInstanceOf(Error);
    expect((actualError as Error).message).toBe((expectedError as Error).message);
    expect(actualError).toMatchObject({ code: "CONFIG_FILE_INVALID" });
  });

  it("fails on an _extends loop, as Probot does", async () => {
    const { expectedError, actualError } = await readBoth({
      name: "",
      files: {
        "octo/hello": { ".github/bot.yml": "_extends: base\n" },
        "octo/base": { ".github/bot.yml": "_extends: shared\n" },
        "octo/shared": { ".github/bot.yml": "_extends: base\n" },
      },
    });
    const recursion =
      /^\[@probot\/octokit-plugin-config\] Recursion detected\. Ignoring {2}"_extends: .*" from (\S+) because (\S+) was already loaded\.$/;
    const [, expectedFrom, expectedSeen] = recursion.exec((expectedError as Error).message) ?? [];
    const [, actualFrom, actualSeen] = recursion.exec((actualError as Error).message) ?? [];
    expect([actualFrom, actualSeen]).toEqual([expectedFrom, expectedSeen]);
    expect(actualFrom).toBeDefined();
  });
});
