import type { KeyObject } from "node:crypto";
import type { Redis } from "ioredis";
import type { Logger } from "pino";
import type { Stores } from "../app/create-app.js";
import type { DeliveryConfig } from "../config/config.js";

export interface SharedStores {
  redis: Redis;
  stores: Stores;
  close(): Promise<void>;
}

/**
 * With REDIS_URL, the token cache (memory in front of Redis, encrypted under a key derived
 * from the private key, one exchange per miss across processes), the delivery records (with
 * their leases) and the failures after a 202 are shared by every process, under one prefix.
 */
export async function openSharedStores(
  url: string,
  delivery: DeliveryConfig,
  logger: Logger,
  privateKey: KeyObject,
): Promise<SharedStores> {
  const [
    { connectRedis },
    { createRedisTokenCache },
    { createRedisDeliveryRecords },
    { createRedisAckedFailures },
  ] = await Promise.all([
    import("../redis/connect-redis.js"),
    import("../redis/redis-token-cache.js"),
    import("../redis/redis-delivery-records.js"),
    import("../redis/redis-acked-failures.js"),
  ]);
  const redis = await connectRedis({ url, logger });
  const prefix = delivery.redisPrefix;
  const tokens = createRedisTokenCache({ redis, privateKey, logger, keyPrefix: `${prefix}:` });
  await tokens.start();
  return {
    redis,
    stores: {
      tokens: tokens.store,
      deliveries: createRedisDeliveryRecords({
        redis,
        keyPrefix: `${prefix}:delivery:`,
        leaseMs: delivery.leaseMs,
      }),
      ackedFailures: createRedisAckedFailures({ redis, key: `${prefix}:failed-after-ack` }),
      ready: () => redis.status === "ready",
    },
    close: () =>
      tokens
        .stop()
        .then(() => redis.quit())
        .then(
          () => undefined,
          () => redis.disconnect(),
        ),
  };
}
