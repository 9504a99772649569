import { mkdtempSync, readdirSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach, beforeEach, describe, expect, it } from "@jest/globals";
import { createFileTokenStore } from "../../../src/auth/file-token-store.js";
import { createMemoryTokenStore, type InstallationToken } from "../../../src/auth/token-store.js";
import { generateStatelessToken, generateToken } from "../../../src/fake-github/tokens.js";
import { createManualClock } from "../../helpers/manual-clock.js";

const FORMATS: [string, () => string][] = [
  ["classic", () => generateToken()],
  ["stateless", () => generateStatelessToken(1, Date.UTC(2026, 0, 1, 1))],
];

function token(value: string): InstallationToken {
  return {
    token: value,
    expiresAt: "2026-01-01T01:00:00Z",
    installationId: 1,
    permissions: { contents: "read" },
    repositorySelection: "selected",
    repositories: ["hello"],
  };
}

const KEY = "https://api.github.com 42 1 hello;;";

describe.each(FORMATS)("token stores with a %s token", (_format, mint) => {
  let dir: string;
  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), "hookwright-formats-"));
  });
  afterEach(() => {
    rmSync(dir, { recursive: true, force: true });
  });

  it("the file cache gives back the whole token, in a file not named after it", async () => {
    const value = mint();
    const clock = createManualClock();
    await createFileTokenStore({ dir, clock }).set(KEY, token(value), 60_000);
    expect(await createFileTokenStore({ dir, clock }).get(KEY)).toEqual(token(value));
    const [file] = readdirSync(dir);
    expect(file).toMatch(/^[0-9a-f]{64}\.json$/);
    expect(JSON.parse(readFileSync(join(dir, file!), "utf8")).token.token).toBe(value);
  });

  it("the memory cache gives back the whole token", async () => {
    const value = mint();
    const store = createMemoryTokenStore();
    await store.set(KEY, token(value), 60_000);
    expect((await store.get(KEY))?.token).toBe(value);
  });
});
