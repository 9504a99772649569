import { chmodSync, existsSync, readFileSync, renameSync, writeFileSync } from "node:fs";

const ASSIGNMENT = /^\s*(?:export\s+)?([A-Za-z_][A-Za-z0-9_]*)\s*=/;
const PLAIN = /^[A-Za-z0-9_./:+=@-]*$/;

/** One `.env` value: bare when it is simple, else double-quoted with newlines as `\n` (dotenv expands them). */
function quote(value: string): string {
  if (PLAIN.test(value)) return value;
  return `"${value.replace(/\r?\n/g, "\\n").replace(/"/g, '\\"')}"`;
}

/**
 * Sets `values` in the `.env` file at `path`: a line already assigning a variable is replaced
 * in place, the others are appended, and every other line (comments included) stays. The file
 * holds the app's key, so it is written readable by its owner only (mode 600).
 *
 * @example
 * writeEnvFile(".env", { APP_ID: "123", WEBHOOK_SECRET: "..." });
 */
export function writeEnvFile(path: string, values: Record<string, string>): void {
  const lines = existsSync(path) ? readFileSync(path, "utf8").split(/\r?\n/) : [];
  if (lines.at(-1) === "") lines.pop();
  const written = new Set<string>();
  const kept = lines.flatMap((line) => {
    const name = ASSIGNMENT.exec(line)?.[1];
    const value = name === undefined ? undefined : values[name];
    if (name === undefined || value === undefined) return [line];
    // A second assignment of a variable would override the new value when the file is read.
    if (written.has(name)) return [];
    written.add(name);
    return [`${name}=${quote(value)}`];
  });
  for (const [name, value] of Object.entries(values)) {
    if (!written.has(name)) kept.push(`${name}=${quote(value)}`);
  }
  const temporary = `${path}.${process.pid}.tmp`;
  writeFileSync(temporary, `${kept.join("\n")}\n`, { mode: 0o600 });
  chmodSync(temporary, 0o600);
  renameSync(temporary, path);
}
