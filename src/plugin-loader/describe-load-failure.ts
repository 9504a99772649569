import { spawnSync } from "node:child_process";

// esbuild (through tsx) reports "Transform failed with 1 error:\n<file>:<line>:<column>: ERROR: <reason>".
const ESBUILD_LOCATION = /^(.+):(\d+):(\d+): ERROR: (.+)$/m;
// `node --check` prints "<file>:<line>", the source line, a caret under the column, then the error.
const NODE_LOCATION = /^(.+):(\d+)\n(.*)\n( *)\^+[^\n]*\n+SyntaxError: (.+)$/m;

function firstLine(text: string): string {
  return text.split("\n")[0] ?? "";
}

/**
 * Why a plugin's module did not load, in one line: for a compile error its file, line, column
 * and the compiler's reason. Node's own SyntaxError for a JavaScript module carries no
 * location, so the file is checked once more with `node --check`, which prints it.
 */
export function describeLoadFailure(cause: unknown, path: string): string {
  const message = cause instanceof Error ? cause.message : String(cause);
  const esbuild = ESBUILD_LOCATION.exec(message);
  if (esbuild) {
    const [, file, line, column, reason] = esbuild;
    return `${file}:${line}:${column}: ${reason}`;
  }
  if ((cause as Error | null)?.name === "SyntaxError" && /\.[cm]?js$/.test(path)) {
    const check = spawnSync(process.execPath, ["--check", path], { encoding: "utf8" });
    const node = NODE_LOCATION.exec(check.stderr ?? "");
    if (node) {
      const [, file, line, , caret, reason] = node;
      return `${file}:${line}:${caret!.length + 1}: ${reason}`;
    }
    return `${path}: ${firstLine(message)}`;
  }
  return firstLine(message);
}
