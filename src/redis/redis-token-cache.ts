import type { KeyObject } from "node:crypto";
import type { Redis } from "ioredis";
import type { Logger } from "pino";
import { createLayeredTokenStore } from "../auth/layered-token-store.js";
import { createTokenCipher } from "../auth/token-cipher.js";
import type { TokenStore } from "../auth/token-store.js";
import type { Clock } from "../clock.js";
import {
  createRedisExchangeFlight,
  type RedisExchangeFlightOptions,
} from "./redis-exchange-flight.js";
import { createRedisTokenDrops } from "./redis-token-drops.js";
import { createRedisTokenStore, tokenCacheNotice } from "./redis-token-store.js";

export interface RedisTokenCacheOptions {
  redis: Redis;
  /** The app's private key: the key sealing tokens in Redis is derived from it. */
  privateKey: KeyObject;
  logger: Logger;
  /** Every key and the drop channel start with it. */
  keyPrefix?: string;
  /** See createLayeredTokenStore: longest a token is served from memory alone. */
  memoryTtlMs?: number;
  memoryMax?: number;
  flight?: Pick<RedisExchangeFlightOptions, "lockTtlMs" | "waitMs" | "pollMs">;
  clock?: Clock;
  sleep?: (ms: number) => Promise<void>;
}

export interface RedisTokenCache {
  store: TokenStore;
  /** Subscribes to drops: before the first delivery, so none is missed. */
  start(): Promise<void>;
  stop(): Promise<void>;
}

/**
 * The token cache of REDIS_URL: tokens in memory in front of Redis, sealed in Redis, one
 * exchange per miss across every process, drops heard by every process.
 */
export function createRedisTokenCache(options: RedisTokenCacheOptions): RedisTokenCache {
  const { redis } = options;
  const prefix = options.keyPrefix ?? "hookwright:";
  const notice = tokenCacheNotice(options.logger);
  const drops = createRedisTokenDrops({ redis, channel: `${prefix}token-drops`, notice });
  const flight = createRedisExchangeFlight({
    redis,
    keyPrefix: `${prefix}token-lock:`,
    notice,
    clock: options.clock,
    sleep: options.sleep,
    ...options.flight,
  });
  const shared = createRedisTokenStore({
    redis,
    cipher: createTokenCipher(options.privateKey),
    keyPrefix: `${prefix}token:`,
    logger: options.logger,
    notice,
  });
  const store = createLayeredTokenStore({
    shared: { ...shared, flight },
    drops,
    memoryTtlMs: options.memoryTtlMs,
    max: options.memoryMax,
  });
  return { store, start: () => drops.start(), stop: () => drops.stop() };
}
