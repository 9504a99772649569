import { mkdirSync, readFileSync, renameSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import type { AckedFailures } from "./acked-failures.js";

/** GitHub keeps an app's delivery log for three days; older entries cannot be redelivered. */
const KEPT_MS = 72 * 3_600_000;
const MAX_ENTRIES = 10_000;

/**
 * Without Redis, the deliveries GitHub believes delivered but that did not run to the end
 * (handed back by a drain, or failed after a 202) are kept in `<dir>/journal.json`, so
 * `hookwright redeliver` and the next start can ask GitHub for them again. Mode 600 in a 700
 * directory: ids of the app's traffic are nobody else's business on a shared host.
 */
export function createFileJournal(options: { dir: string }): AckedFailures {
  const file = join(options.dir, "journal.json");
  const read = (): Record<string, number> => {
    try {
      const parsed = JSON.parse(readFileSync(file, "utf8")) as unknown;
      return typeof parsed === "object" && parsed !== null
        ? (parsed as Record<string, number>)
        : {};
    } catch {
      return {};
    }
  };
  return {
    async add(id, atMs) {
      const entries = Object.entries({ ...read(), [id]: atMs })
        .filter(([, at]) => typeof at === "number" && at >= atMs - KEPT_MS)
        .sort(([, a], [, b]) => a - b)
        .slice(-MAX_ENTRIES);
      mkdirSync(options.dir, { recursive: true, mode: 0o700 });
      // Written whole and renamed: a crash mid-write leaves the old journal, never half of one.
      const partial = `${file}.${process.pid}.tmp`;
      writeFileSync(partial, JSON.stringify(Object.fromEntries(entries)), { mode: 0o600 });
      renameSync(partial, file);
    },
    async since(sinceMs) {
      return new Map(Object.entries(read()).filter(([, at]) => at >= sinceMs));
    },
  };
}
