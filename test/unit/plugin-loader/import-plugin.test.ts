import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { pathToFileURL } from "node:url";
import { afterAll, beforeAll, describe, expect, it } from "@jest/globals";
import type { App } from "../../../src/app/app.js";
import type { HookwrightError } from "../../../src/errors.js";
import { importPlugin } from "../../../src/plugin-loader/import-plugin.js";
import { rejectionOf } from "../../helpers/rejection.js";

let dir: string;
const importModule = (specifier: string) => import(specifier);

const MODULES: Record<string, string> = {
  "esm.mjs": "export default function esm(app) { app.loaded = 'esm'; }\n",
  "cjs.cjs": "module.exports = function cjs(app) { app.loaded = 'cjs'; };\n",
  "compiled.cjs":
    "Object.defineProperty(exports, '__esModule', { value: true });\n" +
    "exports.default = function compiled(app) { app.loaded = 'compiled'; };\n",
  "object.mjs": "export default { on() {} };\n",
  "named.mjs": "export function plugin() {}\n",
  "throws.mjs":
    "throw new Error('cannot start: MY_TOKEN is unset\\n    at somewhere (x.js:1:1)');\n",
  "syntax.mjs": "export default function (app {\n",
};

beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), "hookwright-import-"));
  for (const [file, source] of Object.entries(MODULES)) writeFileSync(join(dir, file), source);
});
afterAll(() => {
  rmSync(dir, { recursive: true, force: true });
});

async function loadedBy(file: string): Promise<unknown> {
  const plugin = await importPlugin({ name: file, path: join(dir, file) }, importModule);
  const app = {} as App & { loaded?: string };
  await plugin(app, { cwd: dir } as never);
  return app.loaded;
}

function failure(file: string): Promise<HookwrightError> {
  const loading = importPlugin({ name: "broken", path: join(dir, file) }, importModule);
  return rejectionOf(loading, "PLUGIN_LOAD_FAILED");
}

describe("importPlugin", () => {
  it("takes an ESM module's default export", async () => {
    expect(await loadedBy("esm.mjs")).toBe("esm");
  });

  it("takes a CommonJS module.exports function", async () => {
    expect(await loadedBy("cjs.cjs")).toBe("cjs");
  });

  it("takes `export default` compiled to CommonJS (exports.default)", async () => {
    expect(await loadedBy("compiled.cjs")).toBe("compiled");
  });

  it("imports an absolute path as a file URL and a package name as it is", async () => {
    const seen: string[] = [];
    const record = async (specifier: string) => {
      seen.push(specifier);
      return { default: () => undefined };
    };
    await importPlugin({ name: "a", path: join(dir, "esm.mjs") }, record);
    await importPlugin({ name: "b", path: "hookwright-plugin-b" }, record);
    expect(seen).toEqual([pathToFileURL(join(dir, "esm.mjs")).href, "hookwright-plugin-b"]);
  });

  it.each([
    ["a default that is not a function", "object.mjs"],
    ["no default export", "named.mjs"],
  ])("rejects a module with %s, saying what to export", async (_label, file) => {
    const error = await failure(file);
    expect(error.message).toContain('plugin "broken"');
    expect(error.message).toContain(file);
    expect(error.message).toMatch(/must export a function .* as its default export/);
  });

  it("reports a module that throws on import with the first line of its error", async () => {
    const error = await failure("throws.mjs");
    expect(error.message).toBe('plugin "broken" failed to load: cannot start: MY_TOKEN is unset');
    expect((error.cause as Error).message).toContain("at somewhere");
  });

  it("reports a module with a syntax error with its file, line and column", async () => {
    const error = await failure("syntax.mjs");
    expect(error.message).toMatch(/^plugin "broken" failed to load: \S+syntax\.mjs:1:\d+: \S/);
    expect(error.message).not.toContain("\n");
  });

  it("reports a missing file", async () => {
    const error = await failure("missing.mjs");
    expect(error.message).toMatch(/^plugin "broken" failed to load: /);
  });
});
