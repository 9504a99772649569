import { describe, expect, it } from "@jest/globals";
import { createMemoryTokenStore, type InstallationToken } from "../../../src/auth/token-store.js";

const HOUR = 3_600_000;

function token(name: string, installationId = 1): InstallationToken {
  return {
    token: `ghs_${name}`,
    expiresAt: "2026-01-01T01:00:00Z",
    installationId,
    permissions: {},
    repositorySelection: "all",
  };
}

describe("createMemoryTokenStore", () => {
  it("returns what was set, until deleted", async () => {
    const store = createMemoryTokenStore();
    await store.set("a", token("a"), HOUR);
    expect(await store.get("a")).toEqual(token("a"));
    await store.delete("a");
    expect(await store.get("a")).toBeUndefined();
  });

  it("does not keep a token whose time to live is already over", async () => {
    const store = createMemoryTokenStore();
    await store.set("a", token("a"), 0);
    await store.set("b", token("b"), -1);
    expect(await store.get("a")).toBeUndefined();
    expect(await store.get("b")).toBeUndefined();
  });

  it("evicts the least recently used entry past its bound", async () => {
    const store = createMemoryTokenStore({ max: 2 });
    await store.set("a", token("a"), HOUR);
    await store.set("b", token("b"), HOUR);
    await store.get("a");
    await store.set("c", token("c"), HOUR);
    expect(await store.get("b")).toBeUndefined();
    expect((await store.get("a"))?.token).toBe("ghs_a");
    expect((await store.get("c"))?.token).toBe("ghs_c");
  });

  it("deletes by prefix and nothing else", async () => {
    const store = createMemoryTokenStore();
    await store.set("api 1 1 *", token("one"), HOUR);
    await store.set("api 1 1 repo", token("one-scoped"), HOUR);
    await store.set("api 1 12 *", token("twelve", 12), HOUR);
    await store.deletePrefix("api 1 1 ");
    expect(await store.get("api 1 1 *")).toBeUndefined();
    expect(await store.get("api 1 1 repo")).toBeUndefined();
    expect((await store.get("api 1 12 *"))?.token).toBe("ghs_twelve");
  });
});
