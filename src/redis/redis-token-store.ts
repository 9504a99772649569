import type { Redis } from "ioredis";
import type { Logger } from "pino";
import type { InstallationToken, TokenStore } from "../auth/token-store.js";
import { escapeGlob } from "./escape-glob.js";

export interface RedisTokenStoreOptions {
  redis: Redis;
  /** Namespace for every key, so several apps can share one Redis. */
  keyPrefix?: string;
  logger: Logger;
}

/**
 * Installation tokens shared by every process on one Redis, each expiring when the auth
 * module would stop serving it. Redis being down never fails a delivery here: a read that
 * fails is a miss (one more exchange), a write that fails is logged and the token still used.
 */
export function createRedisTokenStore(options: RedisTokenStoreOptions): TokenStore {
  const { redis, logger } = options;
  const namespace = options.keyPrefix ?? "hookwright:token:";
  const warn = (error: unknown, action: string) =>
    logger.warn(
      { err: { message: (error as Error)?.message } },
      `token cache (REDIS_URL) could not ${action}`,
    );
  return {
    async get(key) {
      let text: string | null;
      try {
        text = await redis.get(namespace + key);
      } catch (error) {
        warn(error, "be read; exchanging a new token");
        return undefined;
      }
      if (text === null) return undefined;
      try {
        return JSON.parse(text) as InstallationToken;
      } catch {
        return undefined;
      }
    },
    async set(key, token, ttlMs) {
      if (ttlMs <= 0) return;
      try {
        await redis.set(namespace + key, JSON.stringify(token), "PX", Math.ceil(ttlMs));
      } catch (error) {
        warn(error, "keep a token");
      }
    },
    async delete(key) {
      await redis.del(namespace + key);
    },
    async deletePrefix(prefix) {
      const match = `${escapeGlob(namespace + prefix)}*`;
      let cursor = "0";
      do {
        const [next, keys] = await redis.scan(cursor, "MATCH", match, "COUNT", 500);
        if (keys.length > 0) await redis.del(...keys);
        cursor = next;
      } while (cursor !== "0");
    },
  };
}
