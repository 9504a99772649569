import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "@jest/globals";
import { HookwrightError } from "../../../src/errors.js";
import { findPlugins } from "../../../src/plugin-loader/find-plugins.js";

let cwd: string;
const at = (...parts: string[]) => join(cwd, ...parts);

const FILES = [
  "plugins/greeter/index.ts",
  "plugins/greeter/helpers.ts",
  "plugins/labeler.js",
  "plugins/labeler.test.ts",
  "plugins/shapes.d.ts",
  "plugins/stale.spec.js",
  "plugins/notes.md",
  "plugins/only-tests/index.test.ts",
  "local/custom.mjs",
  "local/folder/index.js",
  "node_modules/hookwright-plugin-x/index.js",
];

beforeAll(() => {
  cwd = mkdtempSync(join(tmpdir(), "hookwright-find-"));
  for (const file of FILES) {
    mkdirSync(dirname(at(file)), { recursive: true });
    writeFileSync(at(file), "export default () => {};\n");
  }
  mkdirSync(at("plugins/empty"));
  writeFileSync(at("node_modules/hookwright-plugin-x/package.json"), '{"main":"index.js"}');
});
afterAll(() => {
  rmSync(cwd, { recursive: true, force: true });
});

function failure(names: string[]): HookwrightError {
  try {
    findPlugins(cwd, names);
  } catch (error) {
    expect(error).toBeInstanceOf(HookwrightError);
    expect((error as HookwrightError).code).toBe("PLUGIN_LOAD_FAILED");
    return error as HookwrightError;
  }
  throw new Error(`findPlugins found ${names.join(", ")}`);
}

describe("findPlugins", () => {
  it("finds every plugin in plugins/, skipping tests, declarations and other files", () => {
    expect(findPlugins(cwd)).toEqual([
      { name: "greeter", path: at("plugins/greeter/index.ts") },
      { name: "labeler", path: at("plugins/labeler.js") },
    ]);
    expect(findPlugins(cwd, [])).toHaveLength(2);
  });

  it("finds nothing when there is no plugins/ directory", () => {
    expect(findPlugins(at("local"))).toEqual([]);
  });

  it("finds only the named plugins, in the order given", () => {
    expect(findPlugins(cwd, ["labeler", "greeter"])).toEqual([
      { name: "labeler", path: at("plugins/labeler.js") },
      { name: "greeter", path: at("plugins/greeter/index.ts") },
    ]);
  });

  it("resolves relative module paths against cwd, with or without extension", () => {
    expect(findPlugins(cwd, ["./local/custom.mjs", "./local/custom", "./local/folder"])).toEqual([
      { name: "./local/custom.mjs", path: at("local/custom.mjs") },
      { name: "./local/custom", path: at("local/custom.mjs") },
      { name: "./local/folder", path: at("local/folder/index.js") },
    ]);
  });

  it("accepts an absolute module path", () => {
    const path = at("local/custom.mjs");
    expect(findPlugins(cwd, [path])).toEqual([{ name: path, path }]);
  });

  it("resolves a package name from the project's node_modules", () => {
    expect(findPlugins(cwd, ["hookwright-plugin-x"])).toEqual([
      { name: "hookwright-plugin-x", path: at("node_modules/hookwright-plugin-x/index.js") },
    ]);
  });

  it("says where it looked for a module path that does not exist", () => {
    expect(failure(["./local/missing"]).message).toBe(
      `plugin "./local/missing" not found (no module at ${at("local/missing")})`,
    );
  });

  it.each([["nope"], ["./local/missing"], ["only-tests"], ["empty"]])(
    "fails on %s with PLUGIN_LOAD_FAILED naming it",
    (name) => {
      const error = failure(["greeter", name]);
      expect(error.message).toContain(`"${name}"`);
      expect(error.message).toMatch(/not found/);
    },
  );
});
