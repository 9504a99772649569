import { existsSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { isPlainObject } from "../context/merge-config.js";

// This module runs from src/testing (tests, tsx) or dist/src/testing (the built package).
const CANDIDATES = ["../../fixtures/webhooks/", "../../../fixtures/webhooks/"];

/** The directory of the webhook payloads shipped with Hookwright (`fixtures/webhooks`). */
export function fixturesDir(): string {
  for (const candidate of CANDIDATES) {
    const dir = fileURLToPath(new URL(candidate, import.meta.url));
    if (existsSync(dir)) return dir;
  }
  throw new Error("hookwright/testing: the fixtures/webhooks directory was not found");
}

/** The raw bytes of `<dir>/<name>.json` (the shipped fixtures by default), unmodified. */
export function loadFixture(name: string, dir: string = fixturesDir()): Buffer {
  return readFileSync(join(dir, name.endsWith(".json") ? name : `${name}.json`));
}

function overlay(base: unknown, override: unknown): unknown {
  if (!isPlainObject(base) || !isPlainObject(override)) return override;
  const result: Record<string, unknown> = { ...base };
  for (const [key, value] of Object.entries(override)) result[key] = overlay(base[key], value);
  return result;
}

/**
 * A shipped payload, parsed, with `overrides` laid over it (objects merged key by key,
 * anything else replaced), e.g. `issues.opened`, `pull_request.opened.installation`, `push`.
 * The list is in fixtures/README.md.
 *
 * @example
 * const payload = readFixture("issues.opened", { issue: { title: "Crash on start" } });
 */
export function readFixture<T = Record<string, unknown>>(
  name: string,
  overrides: Record<string, unknown> = {},
): T {
  const payload = JSON.parse(loadFixture(name).toString("utf8")) as unknown;
  return overlay(payload, overrides) as T;
}
