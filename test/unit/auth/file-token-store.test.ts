import { mkdtempSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach, beforeEach, describe, expect, it } from "@jest/globals";
import { createFileTokenStore } from "../../../src/auth/file-token-store.js";
import type { InstallationToken } from "../../../src/auth/token-store.js";
import { createManualClock } from "../../helpers/manual-clock.js";

let root: string;
let dir: string;
beforeEach(() => {
  root = mkdtempSync(join(tmpdir(), "hookwright-store-"));
  dir = join(root, "cache", "tokens");
});
afterEach(() => {
  rmSync(root, { recursive: true, force: true });
});

function token(value: string, installationId = 1): InstallationToken {
  return {
    token: value,
    expiresAt: "2026-01-01T01:00:00Z",
    installationId,
    permissions: { contents: "read" },
    repositorySelection: "selected",
    repositories: ["hello"],
  };
}

const KEY = "https://api.github.com 42 1 hello;;";

describe("createFileTokenStore", () => {
  it("keeps a token across store instances (processes), in a mode-600 file inside a mode-700 directory", async () => {
    const clock = createManualClock();
    await createFileTokenStore({ dir, clock }).set(KEY, token("ghs_first"), 60_000);
    expect(await createFileTokenStore({ dir, clock }).get(KEY)).toEqual(token("ghs_first"));

    const files = readdirSync(dir);
    expect(files).toHaveLength(1);
    expect(files[0]).toMatch(/^[0-9a-f]{64}\.json$/);
    expect(statSync(join(dir, files[0]!)).mode & 0o777).toBe(0o600);
    expect(statSync(dir).mode & 0o777).toBe(0o700);
  });

  it("stops serving a token at the end of its TTL and removes its file", async () => {
    const clock = createManualClock();
    const store = createFileTokenStore({ dir, clock });
    await store.set(KEY, token("ghs_short"), 60_000);
    clock.advance(59_999);
    expect((await store.get(KEY))?.token).toBe("ghs_short");
    clock.advance(1);
    expect(await store.get(KEY)).toBeUndefined();
    expect(readdirSync(dir)).toHaveLength(0);
  });

  it("does not store a token whose TTL is already spent", async () => {
    const store = createFileTokenStore({ dir, clock: createManualClock() });
    await store.set(KEY, token("ghs_stale"), 0);
    expect(await store.get(KEY)).toBeUndefined();
  });

  it("replaces the token under a key, and keeps other keys apart", async () => {
    const store = createFileTokenStore({ dir, clock: createManualClock() });
    await store.set(KEY, token("ghs_old"), 60_000);
    await store.set(KEY, token("ghs_new"), 60_000);
    await store.set(`${KEY}x`, token("ghs_other"), 60_000);
    expect((await store.get(KEY))?.token).toBe("ghs_new");
    expect((await store.get(`${KEY}x`))?.token).toBe("ghs_other");
    expect(readdirSync(dir).filter((file) => file.endsWith(".tmp"))).toEqual([]);
  });

  it("deletes one key, or every key under a prefix (all scopes of one installation)", async () => {
    const store = createFileTokenStore({ dir, clock: createManualClock() });
    await store.set("api 42 1 a", token("ghs_a"), 60_000);
    await store.set("api 42 1 b", token("ghs_b"), 60_000);
    await store.set("api 42 10 a", token("ghs_c", 10), 60_000);
    await store.delete("api 42 1 a");
    expect(await store.get("api 42 1 a")).toBeUndefined();
    expect((await store.get("api 42 1 b"))?.token).toBe("ghs_b");
    await store.deletePrefix("api 42 1 ");
    expect(await store.get("api 42 1 b")).toBeUndefined();
    expect((await store.get("api 42 10 a"))?.token).toBe("ghs_c");
  });

  it("treats a missing directory as empty and a damaged file as a miss", async () => {
    const clock = createManualClock();
    const store = createFileTokenStore({ dir, clock });
    expect(await store.get(KEY)).toBeUndefined();
    await store.deletePrefix("anything");
    await store.set(KEY, token("ghs_fine"), 60_000);
    const [file] = readdirSync(dir);
    writeFileSync(join(dir, file!), "{ not json");
    expect(await store.get(KEY)).toBeUndefined();
    expect(readdirSync(dir)).toHaveLength(0);
  });

  it("writes the key and token only inside the file, never in its name", async () => {
    const store = createFileTokenStore({ dir, clock: createManualClock() });
    await store.set(KEY, token("ghs_private"), 60_000);
    const [file] = readdirSync(dir);
    expect(file).not.toContain("ghs_");
    expect(readFileSync(join(dir, file!), "utf8")).toContain("ghs_private");
  });
});
