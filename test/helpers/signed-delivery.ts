import { readFileSync } from "node:fs";
import { join } from "node:path";
import { fileURLToPath } from "node:url";

export * from "../../src/fake-github/signed-delivery.js";

const FIXTURES_DIR = fileURLToPath(new URL("../../fixtures/webhooks/", import.meta.url));

/** The raw bytes of `fixtures/webhooks/<name>.json`, unmodified. */
export function loadFixture(name: string, dir: string = FIXTURES_DIR): Buffer {
  const file = name.endsWith(".json") ? name : `${name}.json`;
  return readFileSync(join(dir, file));
}
