// The package as npm ships it, installed as "probot" for a CommonJS Probot app: the app's own
// jest test runs in jest's CommonJS mode (which cannot require ES modules), with nock 13
// (which patches only node:http/https) and with nock 14. Needs `npm run build` first.
import { afterAll, afterEach, beforeAll, describe, expect, it } from "@jest/globals";
import {
  cpSync,
  mkdirSync,
  mkdtempSync,
  readFileSync,
  rmSync,
  symlinkSync,
  writeFileSync,
} from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { killChildren, ROOT, runProcess, type Finished } from "./cli-helpers.js";

const APP = `${ROOT}test/probot/cjs-app/`;
const JEST = `${ROOT}node_modules/jest/bin/jest.js`;
// The package's dependencies, and jest's, come from this checkout's node_modules.
const NODE_PATH = `${ROOT}node_modules`;

const WEB_GLOBALS = [
  "fetch",
  "Response",
  "Request",
  "Headers",
  "AbortController",
  "AbortSignal",
  "ReadableStream",
  "crypto",
  "structuredClone",
];

let work: string;
let tarball: string;

beforeAll(async () => {
  work = mkdtempSync(join(tmpdir(), "hookwright-package-cjs-"));
  const packed = await runProcess(
    "npm",
    ["pack", "--ignore-scripts", "--silent", "--pack-destination", work],
    { env: { HOME: process.env.HOME ?? work } },
  );
  expect(packed.code).toBe(0);
  tarball = join(work, packed.stdout.trim().split("\n").pop()!);
}, 60_000);

afterEach(() => killChildren());
afterAll(() => rmSync(work, { recursive: true, force: true }));

/** A copy of the app with the tarball extracted as node_modules/probot and `nock` as given. */
async function installApp(name: string, nock: "nock" | "nock13"): Promise<string> {
  const dir = join(work, name);
  cpSync(APP, dir, { recursive: true });
  const probot = join(dir, "node_modules", "probot");
  mkdirSync(probot, { recursive: true });
  const extracted = await runProcess(
    "tar",
    ["-xzf", tarball, "-C", probot, "--strip-components=1"],
    {
      env: {},
    },
  );
  expect(extracted).toMatchObject({ code: 0 });
  symlinkSync(`${ROOT}node_modules/${nock}`, join(dir, "node_modules", "nock"));
  return dir;
}

function jestCommonJs(dir: string): Promise<Finished> {
  return runProcess(process.execPath, [JEST, "--ci", "--cacheDirectory", join(dir, ".jest")], {
    cwd: dir,
    env: { NODE_PATH },
  });
}

function nodeRequire(dir: string, script: string): Promise<Finished> {
  return runProcess(process.execPath, ["-e", script], { cwd: dir, env: { NODE_PATH } });
}

describe("the packed package as probot for a CommonJS app", () => {
  it.each([
    ["nock 13", "nock13"],
    ["nock 14", "nock"],
  ] as const)(
    "passes the app's own jest test in CommonJS mode with %s",
    async (_, nock) => {
      const dir = await installApp(nock, nock);
      const run = await jestCommonJs(dir);
      expect(run.stderr).toMatch(/Tests:\s+2 passed, 2 total/);
      expect(run.code).toBe(0);
    },
    60_000,
  );

  it("answers require() for its entries and Probot ≤ 9's deep paths from one bundle", async () => {
    const dir = await installApp("paths", "nock");
    const run = await nodeRequire(
      dir,
      `const root = require("probot"), probot = require("probot/probot");
       const { GitHubAPI, ProbotOctokit } = require("probot/lib/github");
       console.log(JSON.stringify({
         main: typeof root.createApp,
         sameContext: require("probot/lib/context").Context === probot.Context && root.Context === probot.Context,
         application: require("probot/lib/application").Application === probot.Application,
         octokit: ProbotOctokit === root.ProbotOctokit && GitHubAPI({ auth: "x" }) instanceof ProbotOctokit,
         testing: typeof require("probot/testing").createTestApp,
         name: require("probot/package.json").name,
       }));`,
    );
    expect(run.stderr).toBe("");
    expect(JSON.parse(run.stdout)).toEqual({
      main: "function",
      sameContext: true,
      application: true,
      octokit: true,
      testing: "function",
      name: "hookwright",
    });
  }, 60_000);

  it("works as jest ≤ 27 sees it: no exports, a global without fetch and its kin, no node: specifiers", async () => {
    const dir = await installApp("old-jest", "nock13");
    const manifest = join(dir, "node_modules", "probot", "package.json");
    const { exports: _, ...withoutExports } = JSON.parse(readFileSync(manifest, "utf8"));
    writeFileSync(manifest, JSON.stringify(withoutExports));
    // jest-environment-node ≤ 27 copied a few of Node's globals into the test's, not these.
    writeFileSync(
      join(dir, "old-environment.js"),
      `const { TestEnvironment } = require("jest-environment-node");
       module.exports = class extends TestEnvironment {
         constructor(...args) {
           super(...args);
           for (const name of ${JSON.stringify(WEB_GLOBALS)}) delete this.global[name];
         }
       };`,
    );
    const app = JSON.parse(readFileSync(join(dir, "package.json"), "utf8"));
    app.jest.testEnvironment = "<rootDir>/old-environment.js";
    writeFileSync(join(dir, "package.json"), JSON.stringify(app));

    const run = await jestCommonJs(dir);
    expect(run.stderr).toMatch(/Tests:\s+2 passed, 2 total/);
    const paths = await nodeRequire(
      dir,
      `console.log(typeof require("probot/lib/github").GitHubAPI, typeof require("probot/lib/context").Context)`,
    );
    expect(paths.stdout.trim()).toBe("function function");
    const bundle = readFileSync(join(dir, "node_modules/probot/dist/cjs/bundle.cjs"), "utf8");
    expect(bundle).not.toMatch(/require\("node:/);
  }, 60_000);
});
