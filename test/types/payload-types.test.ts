import { describe, expect, it } from "@jest/globals";
import { readFileSync, rmSync, writeFileSync } from "node:fs";
import { fileURLToPath } from "node:url";
import ts from "typescript";

const ROOT = fileURLToPath(new URL("../../", import.meta.url));
const TYPE_TEST = fileURLToPath(new URL("./payload-types.ts", import.meta.url));

/** Compiles `files` in one program with the project's options: each file's diagnostics. */
function typecheck(files: string[]): string[][] {
  const config = ts.getParsedCommandLineOfConfigFile(
    `${ROOT}tsconfig.json`,
    {},
    {
      ...ts.sys,
      onUnRecoverableConfigFileDiagnostic: (diagnostic) => {
        throw new Error(ts.flattenDiagnosticMessageText(diagnostic.messageText, "\n"));
      },
    },
  )!;
  const ambient = config.fileNames.filter((file) => file.endsWith(".d.ts"));
  const program = ts.createProgram([...files, ...ambient], { ...config.options, noEmit: true });
  return files.map((file) =>
    ts.getPreEmitDiagnostics(program, program.getSourceFile(file)).map((diagnostic) => {
      const line = diagnostic.file?.getLineAndCharacterOfPosition(diagnostic.start ?? 0).line;
      const text = ts.flattenDiagnosticMessageText(diagnostic.messageText, " ");
      return `${line === undefined ? "" : `${line + 1}: `}TS${diagnostic.code} ${text}`;
    }),
  );
}

describe("typed payloads", () => {
  it("type-checks correct field use and rejects every wrong one", () => {
    const source = readFileSync(TYPE_TEST, "utf8");
    const expected = source
      .split("\n")
      .filter((line) => line.includes("// @ts-expect-error")).length;
    // The same file without its directives: each marked line must now be an error.
    const stripped = TYPE_TEST.replace(/\.ts$/, ".stripped.ts");
    writeFileSync(stripped, source.replaceAll("// @ts-expect-error", "//"));
    try {
      const [clean, broken] = typecheck([TYPE_TEST, stripped]);
      expect(clean).toEqual([]);
      expect(broken).toHaveLength(expected);
      expect(expected).toBe(6);
    } finally {
      rmSync(stripped, { force: true });
    }
  }, 60_000);
});
