import { describe, expect, it } from "@jest/globals";
import { createLayeredTokenStore } from "../../../src/auth/layered-token-store.js";
import type {
  TokenDrop,
  TokenDropChannel,
  TokenDropListener,
} from "../../../src/auth/token-drops.js";
import {
  createMemoryTokenStore,
  type InstallationToken,
  type TokenStore,
} from "../../../src/auth/token-store.js";

function token(value: string): InstallationToken {
  return {
    token: value,
    expiresAt: "2030-01-01T00:00:00Z",
    installationId: 1,
    permissions: {},
    repositorySelection: "all",
  };
}

/** A shared store that counts reads, and a channel every layered store in a test is on. */
function world() {
  const inner = createMemoryTokenStore();
  let reads = 0;
  const shared: TokenStore = { ...inner, get: (key) => ((reads += 1), inner.get(key)) };
  const listeners: TokenDropListener[] = [];
  const published: TokenDrop[] = [];
  const drops: TokenDropChannel = {
    publish: async (drop) => {
      published.push(drop);
      for (const listener of listeners) listener.drop(drop);
    },
    subscribe: (listener) => void listeners.push(listener),
  };
  const layered = (memoryTtlMs?: number) => createLayeredTokenStore({ shared, drops, memoryTtlMs });
  return { inner, shared, reads: () => reads, published, listeners, layered };
}

describe("createLayeredTokenStore", () => {
  it("reads the shared store once, then serves from memory", async () => {
    const { inner, reads, layered } = world();
    await inner.set("k", token("ghs_1"), 60_000);
    const store = layered();
    expect(await store.get("k")).toEqual(token("ghs_1"));
    expect(await store.get("k")).toEqual(token("ghs_1"));
    expect(reads()).toBe(1);
    expect(await store.get("missing")).toBeUndefined();
    expect(reads()).toBe(2);
  });

  it("writes through, so another process finds the token in the shared store", async () => {
    const { layered, reads } = world();
    const one = layered();
    const two = layered();
    await one.set("k", token("ghs_1"), 60_000);
    expect(await one.get("k")).toEqual(token("ghs_1"));
    expect(reads()).toBe(0);
    expect(await two.get("k")).toEqual(token("ghs_1"));
    expect(reads()).toBe(1);
  });

  it("asks the shared store again once the memory bound has passed", async () => {
    const { layered, inner, reads } = world();
    const store = layered(30);
    await store.set("k", token("ghs_1"), 60_000);
    await inner.set("k", token("ghs_2"), 60_000);
    expect(await store.get("k")).toEqual(token("ghs_1"));
    await new Promise((resolve) => setTimeout(resolve, 60));
    expect(await store.get("k")).toEqual(token("ghs_2"));
    expect(reads()).toBe(1);
  });

  it("drops a key and a prefix from the shared store and from every process's memory", async () => {
    const { layered, inner, published } = world();
    const one = layered();
    const two = layered();
    await one.set("app 1 *", token("ghs_a"), 60_000);
    await one.set("app 1 x", token("ghs_b"), 60_000);
    await one.set("app 2 *", token("ghs_c"), 60_000);
    for (const key of ["app 1 *", "app 1 x", "app 2 *"]) await two.get(key);
    await two.deletePrefix("app 1 ");
    expect(published).toEqual([{ prefix: "app 1 " }]);
    for (const store of [one, two, inner]) {
      expect(await store.get("app 1 *")).toBeUndefined();
      expect(await store.get("app 1 x")).toBeUndefined();
      expect(await store.get("app 2 *")).toEqual(token("ghs_c"));
    }
    await one.delete("app 2 *");
    expect(published).toEqual([{ prefix: "app 1 " }, { key: "app 2 *" }]);
    expect(await two.get("app 2 *")).toBeUndefined();
  });

  it("forgets all it holds in memory when drops may have been missed", async () => {
    const { layered, inner, listeners } = world();
    const store = layered();
    await store.set("k", token("ghs_old"), 60_000);
    await inner.set("k", token("ghs_new"), 60_000);
    for (const listener of listeners) listener.missed();
    expect(await store.get("k")).toEqual(token("ghs_new"));
  });

  it("never keeps in memory what the shared store would not keep", async () => {
    const { layered } = world();
    const store = layered();
    await store.set("k", token("ghs_expired"), 0);
    expect(await store.get("k")).toBeUndefined();
  });

  it("hands on the shared store's flight", () => {
    const { layered, shared } = world();
    expect(layered().flight).toBeUndefined();
    const flight = { run: async () => token("ghs") };
    const store = createLayeredTokenStore({
      shared: { ...shared, flight },
      drops: { publish: async () => {}, subscribe: () => {} },
    });
    expect(store.flight).toBe(flight);
  });
});
