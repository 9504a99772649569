import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "@jest/globals";
import { findPlugins } from "../../../src/plugin-loader/find-plugins.js";

let cwd: string;
const at = (...parts: string[]) => join(cwd, ...parts);

// What `npm run build` leaves: each plugin's source and its compiled twin under dist/.
const FILES = [
  "plugins/greeter/index.ts",
  "plugins/greeter/helpers.ts",
  "plugins/source-only.ts",
  "dist/plugins/greeter/index.js",
  "dist/plugins/greeter/index.d.ts",
  "dist/plugins/greeter/index.js.map",
  "dist/plugins/greeter/helpers.js",
  "dist/plugins/built-only/index.js",
  "dist/plugins/types-only.d.ts",
];

beforeAll(() => {
  cwd = mkdtempSync(join(tmpdir(), "hookwright-compiled-"));
  for (const file of FILES) {
    mkdirSync(dirname(at(file)), { recursive: true });
    writeFileSync(at(file), "export default () => {};\n");
  }
});
afterAll(() => {
  rmSync(cwd, { recursive: true, force: true });
});

describe("findPlugins with compiled plugins in dist/plugins", () => {
  it("in production loads the compiled twin, and the source only where there is none", () => {
    expect(findPlugins(cwd, undefined, { preferCompiled: true })).toEqual([
      { name: "built-only", path: at("dist/plugins/built-only/index.js") },
      { name: "greeter", path: at("dist/plugins/greeter/index.js") },
      { name: "source-only", path: at("plugins/source-only.ts") },
    ]);
  });

  it("in development loads the source, so an edit needs no build", () => {
    expect(findPlugins(cwd)).toEqual([
      { name: "built-only", path: at("dist/plugins/built-only/index.js") },
      { name: "greeter", path: at("plugins/greeter/index.ts") },
      { name: "source-only", path: at("plugins/source-only.ts") },
    ]);
  });

  it("resolves a named plugin the same way", () => {
    expect(findPlugins(cwd, ["greeter"], { preferCompiled: true })).toEqual([
      { name: "greeter", path: at("dist/plugins/greeter/index.js") },
    ]);
    expect(findPlugins(cwd, ["greeter"])).toEqual([
      { name: "greeter", path: at("plugins/greeter/index.ts") },
    ]);
  });

  it("finds compiled plugins when the image ships no plugins/ sources", () => {
    rmSync(at("plugins"), { recursive: true });
    expect(findPlugins(cwd, undefined, { preferCompiled: true }).map((ref) => ref.path)).toEqual([
      at("dist/plugins/built-only/index.js"),
      at("dist/plugins/greeter/index.js"),
    ]);
  });
});
