import { afterEach, describe, expect, it } from "@jest/globals";
import { spawn, type ChildProcess } from "node:child_process";
import { mkdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import ts from "typescript";

// README's "Write your first plugin" must work as written: its code blocks are written out,
// type-checked with the project's compiler options, and their test run by jest.
const ROOT = fileURLToPath(new URL("../../", import.meta.url));
const MARKER = /<!-- first-plugin: (\S+) -->\n+```ts\n([\s\S]*?)```/g;

function readmeExamples(): Map<string, string> {
  const readme = readFileSync(join(ROOT, "README.md"), "utf8");
  return new Map([...readme.matchAll(MARKER)].map((match) => [match[1]!, match[2]!]));
}

function typecheck(files: string[]): string[] {
  const config = ts.getParsedCommandLineOfConfigFile(
    join(ROOT, "tsconfig.json"),
    {},
    {
      ...ts.sys,
      onUnRecoverableConfigFileDiagnostic: () => {},
    },
  )!;
  const ambient = config.fileNames.filter((file) => file.endsWith(".d.ts"));
  const program = ts.createProgram([...files, ...ambient], { ...config.options, noEmit: true });
  return ts
    .getPreEmitDiagnostics(program)
    .map(
      (d) => `${d.file?.fileName ?? ""}: ${ts.flattenDiagnosticMessageText(d.messageText, " ")}`,
    );
}

function runJest(dir: string, children: ChildProcess[]): Promise<{ code: number; output: string }> {
  return new Promise((resolve) => {
    const child = spawn(
      process.execPath,
      [
        "--experimental-vm-modules",
        join(ROOT, "node_modules/jest/bin/jest.js"),
        "--ci",
        "--roots",
        dir,
        "--testMatch",
        "**/*.test.ts",
      ],
      { cwd: ROOT, stdio: ["ignore", "pipe", "pipe"] },
    );
    children.push(child);
    let output = "";
    child.stdout!.on("data", (chunk: Buffer) => (output += chunk.toString()));
    child.stderr!.on("data", (chunk: Buffer) => (output += chunk.toString()));
    child.on("close", (code) => resolve({ code: code ?? 1, output }));
  });
}

describe("README: Write your first plugin", () => {
  const children: ChildProcess[] = [];
  const dir = join(ROOT, `readme-example.tmp-${process.pid}`);
  afterEach(() => {
    for (const child of children) if (child.exitCode === null) child.kill();
    rmSync(dir, { recursive: true, force: true });
  });

  it("has a plugin and its test, which compile and pass as written", async () => {
    const examples = readmeExamples();
    expect([...examples.keys()]).toEqual([
      "plugins/triage/index.ts",
      "test/plugins/triage.test.ts",
    ]);
    const files = [...examples].map(([path, code]) => {
      const file = join(dir, path);
      mkdirSync(dirname(file), { recursive: true });
      writeFileSync(file, code);
      return file;
    });
    expect(typecheck(files)).toEqual([]);
    const { code, output } = await runJest(dir, children);
    expect(output).toMatch(/Tests: +2 passed, 2 total/);
    expect(code).toBe(0);
  }, 120_000);
});
