import type { TokenDrop, TokenDropChannel } from "./token-drops.js";
import { createMemoryTokenStore, type TokenStore } from "./token-store.js";

export interface LayeredTokenStoreOptions {
  /** The store every process shares (Redis). */
  shared: TokenStore;
  /** Tells the other processes what was dropped, and tells this one what they dropped. */
  drops: TokenDropChannel;
  /** Bound on the tokens held in memory; the least recently used go first. */
  max?: number;
  /**
   * Longest a token is served from memory without asking the shared store again: the bound
   * on how long a process that missed a drop message can go on serving a dropped token.
   */
  memoryTtlMs?: number;
}

/**
 * Memory in front of a shared store: a warm token costs no round trip to Redis. Entries in
 * memory live at most `memoryTtlMs` (and never past the TTL they were stored with); drops go
 * to the shared store and to every process's memory.
 */
export function createLayeredTokenStore(options: LayeredTokenStoreOptions): TokenStore {
  const { shared, drops } = options;
  const memoryTtlMs = options.memoryTtlMs ?? 60_000;
  const near = createMemoryTokenStore({ max: options.max });
  const forget = (drop: TokenDrop) =>
    "key" in drop ? near.delete(drop.key) : near.deletePrefix(drop.prefix);
  drops.subscribe({
    drop: (drop) => void forget(drop),
    missed: () => void near.deletePrefix(""),
  });
  async function dropEverywhere(drop: TokenDrop) {
    await forget(drop);
    await ("key" in drop ? shared.delete(drop.key) : shared.deletePrefix(drop.prefix));
    await drops.publish(drop);
  }
  return {
    async get(key) {
      const held = await near.get(key);
      if (held) return held;
      const token = await shared.get(key);
      // createAppAuth judges expiry on every read, so memory need only bound staleness.
      if (token) await near.set(key, token, memoryTtlMs);
      return token;
    },
    async set(key, token, ttlMs) {
      await near.set(key, token, Math.min(ttlMs, memoryTtlMs));
      await shared.set(key, token, ttlMs);
    },
    delete: (key) => dropEverywhere({ key }),
    deletePrefix: (prefix) => dropEverywhere({ prefix }),
    flight: shared.flight,
  };
}
