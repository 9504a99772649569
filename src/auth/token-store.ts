import { LRUCache } from "lru-cache";
import { entryBound } from "../lru-bound.js";
import type { ExchangeFlight } from "./exchange-flight.js";

/** An installation token as GitHub issued it, with what it may reach. */
export interface InstallationToken {
  token: string;
  /** ISO 8601, as GitHub returns it. */
  expiresAt: string;
  installationId: number;
  permissions: Record<string, string>;
  repositorySelection: "all" | "selected";
  /** Repository names, when the token was scoped to some. */
  repositories?: string[];
}

/**
 * Where installation tokens are kept between deliveries. The in-memory store below is the
 * default; a Redis store with the same interface lets several processes share tokens.
 */
export interface TokenStore {
  get(key: string): Promise<InstallationToken | undefined>;
  set(key: string, token: InstallationToken, ttlMs: number): Promise<void>;
  delete(key: string): Promise<void>;
  /** Drops every entry whose key starts with `prefix` (all scopes of one installation). */
  deletePrefix(prefix: string): Promise<void>;
  /** A store several processes share brings the flight that makes one exchange serve them all. */
  readonly flight?: ExchangeFlight;
}

export interface MemoryTokenStoreOptions {
  /** Bound on the number of tokens kept; the least recently used go first. */
  max?: number;
}

export function createMemoryTokenStore({ max = 10_000 }: MemoryTokenStoreOptions = {}): TokenStore {
  const cache = new LRUCache<string, InstallationToken>(entryBound(max));
  return {
    get: async (key) => cache.get(key),
    set: async (key, token, ttlMs) => {
      if (ttlMs > 0) cache.set(key, token, { ttl: ttlMs });
    },
    delete: async (key) => {
      cache.delete(key);
    },
    deletePrefix: async (prefix) => {
      for (const key of [...cache.keys()]) if (key.startsWith(prefix)) cache.delete(key);
    },
  };
}
