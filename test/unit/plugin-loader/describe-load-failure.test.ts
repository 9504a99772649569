import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "@jest/globals";
import { describeLoadFailure } from "../../../src/plugin-loader/describe-load-failure.js";

let dir: string;
beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), "hookwright-describe-"));
});
afterAll(() => {
  rmSync(dir, { recursive: true, force: true });
});

describe("describeLoadFailure", () => {
  it("gives esbuild's file, line, column and reason for a TypeScript plugin (tsx)", () => {
    // What tsx throws, copied from a real run.
    const error = new Error(
      'Transform failed with 1 error:\n/app/plugins/broken.ts:2:12: ERROR: Unexpected ";"',
    );
    expect(describeLoadFailure(error, "/app/plugins/broken.ts")).toBe(
      '/app/plugins/broken.ts:2:12: Unexpected ";"',
    );
  });

  it("finds the line and column of a JavaScript module's syntax error, which Node's error lacks", () => {
    const file = join(dir, "broken.mjs");
    writeFileSync(file, "export default (app) => {\n  const x = ;\n};\n");
    const error = new SyntaxError("Unexpected token ';'");
    expect(describeLoadFailure(error, file)).toBe(`${file}:2:13: Unexpected token ';'`);
  });

  it("keeps the first line of any other failure", () => {
    const error = new Error("cannot start: MY_TOKEN is unset\n    at somewhere (x.js:1:1)");
    expect(describeLoadFailure(error, "/x.mjs")).toBe("cannot start: MY_TOKEN is unset");
  });
});
