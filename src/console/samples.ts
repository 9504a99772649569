import { existsSync, readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { HookwrightError } from "../errors.js";

export interface Sample {
  /** The fixture's name, e.g. `issues.opened`. */
  name: string;
  /** The `X-GitHub-Event` it is sent as, e.g. `issues`. */
  event: string;
}

const NAME = /^[a-z_]+(?:\.[a-z_]+)*$/;

/** The sample events in a `fixtures/webhooks` directory, by file name. */
export function listSamples(dir: string): Sample[] {
  if (!existsSync(dir)) return [];
  return readdirSync(dir)
    .filter((file) => file.endsWith(".json"))
    .map((file) => file.slice(0, -".json".length))
    .filter((name) => NAME.test(name))
    .sort()
    .map((name) => ({ name, event: name.split(".")[0]! }));
}

/**
 * A sample's payload text. With `installationId` (sandbox) the payload's installation becomes
 * that one, so its handlers can call the simulated GitHub; nothing else changes.
 */
export function readSample(dir: string, name: string, installationId?: number): string {
  if (!NAME.test(name) || !listSamples(dir).some((sample) => sample.name === name)) {
    throw new HookwrightError("NOT_FOUND", `no sample named "${name}"`);
  }
  const text = readFileSync(join(dir, `${name}.json`), "utf8");
  if (installationId === undefined) return text;
  const payload = JSON.parse(text) as Record<string, unknown>;
  const installation = payload.installation as { id?: unknown } | undefined;
  if (installation?.id === installationId) return text;
  return JSON.stringify({ ...payload, installation: { ...installation, id: installationId } });
}

/**
 * Where the samples are: the working directory's `fixtures/webhooks` when it has one (a bot's
 * own repository), else the ones shipped with Hookwright.
 */
export function findFixturesDir(cwd: string): string {
  const own = join(cwd, "fixtures", "webhooks");
  if (existsSync(own)) return own;
  // From src/console/ (tsx, jest) or dist/src/console/ (the built CLI).
  for (const candidate of ["../../fixtures/webhooks", "../../../fixtures/webhooks"]) {
    const path = fileURLToPath(new URL(candidate, import.meta.url));
    if (existsSync(path)) return path;
  }
  return own;
}
