import type { Redis } from "ioredis";
import type { Logger } from "pino";
import type { TokenCipher } from "../auth/token-cipher.js";
import type { InstallationToken, TokenStore } from "../auth/token-store.js";
import { escapeGlob } from "./escape-glob.js";
import { askRedis, createOutageNotice, DOWN, type OutageNotice } from "./outage-notice.js";

export interface RedisTokenStoreOptions {
  redis: Redis;
  /** Seals every token written, so a Redis dump holds no usable token. */
  cipher: TokenCipher;
  /** Namespace for every key, so several apps can share one Redis. */
  keyPrefix?: string;
  logger: Logger;
  /** Shared with the rest of the token cache, so one outage is logged once. */
  notice?: OutageNotice;
}

export const tokenCacheNotice = (logger: Logger) =>
  createOutageNotice(
    logger,
    "token cache (REDIS_URL) unreachable; each process exchanges its own tokens until it is back",
    "token cache (REDIS_URL) reachable again",
  );

function isToken(value: unknown): value is InstallationToken {
  const token = value as Partial<InstallationToken> | null;
  return typeof token?.token === "string" && typeof token.expiresAt === "string";
}

/**
 * Installation tokens shared by every process on one Redis, each expiring when the auth
 * module would stop serving it, each sealed with AES-256-GCM. Redis being down never fails a
 * delivery here: a read that fails is a miss (one more exchange), a write or a delete that
 * fails is logged and the token still used. A value that does not open (another key, a
 * rotated private key, tampering) is a miss too.
 */
export function createRedisTokenStore(options: RedisTokenStoreOptions): TokenStore {
  const { redis, cipher } = options;
  const namespace = options.keyPrefix ?? "hookwright:token:";
  const notice = options.notice ?? tokenCacheNotice(options.logger);
  async function attempt<T>(command: () => Promise<T>): Promise<T | undefined> {
    const answer = await askRedis(redis, notice, command);
    return answer === DOWN ? undefined : answer;
  }
  return {
    async get(key) {
      const sealed = await attempt(() => redis.get(namespace + key));
      const text = sealed ? cipher.open(sealed, key) : undefined;
      if (text === undefined) return undefined;
      try {
        const token: unknown = JSON.parse(text);
        return isToken(token) ? token : undefined;
      } catch {
        return undefined;
      }
    },
    async set(key, token, ttlMs) {
      if (ttlMs <= 0) return;
      const sealed = cipher.seal(JSON.stringify(token), key);
      await attempt(() => redis.set(namespace + key, sealed, "PX", Math.ceil(ttlMs)));
    },
    async delete(key) {
      await attempt(() => redis.del(namespace + key));
    },
    async deletePrefix(prefix) {
      const match = `${escapeGlob(namespace + prefix)}*`;
      await attempt(async () => {
        let cursor = "0";
        do {
          const [next, keys] = await redis.scan(cursor, "MATCH", match, "COUNT", 500);
          if (keys.length > 0) await redis.del(...keys);
          cursor = next;
        } while (cursor !== "0");
      });
    },
  };
}
