import { readFileSync } from "node:fs";
import { fileURLToPath } from "node:url";

/** Hookwright's own version, from its package.json (src/cli/ under tsx, dist/src/cli/ built). */
export function hookwrightVersion(): string {
  for (const candidate of ["../../package.json", "../../../package.json"]) {
    try {
      const text = readFileSync(fileURLToPath(new URL(candidate, import.meta.url)), "utf8");
      const found = JSON.parse(text) as { name?: unknown; version?: unknown };
      if (found.name === "hookwright" && typeof found.version === "string") return found.version;
    } catch {
      // Not this level: try the next one up.
    }
  }
  return "unknown";
}
