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
 * With REDIS_URL, the token cache, the delivery records (with their leases) and the failures
 * after a 202 are shared by every process on that Redis, under one key prefix.
 */
export async function openSharedStores(
  url: string,
  delivery: DeliveryConfig,
  logger: Logger,
): Promise<SharedStores> {
  const [
    { connectRedis },
    { createRedisTokenStore },
    { createRedisDeliveryRecords },
    { createRedisAckedFailures },
  ] = await Promise.all([
    import("../redis/connect-redis.js"),
    import("../redis/redis-token-store.js"),
    import("../redis/redis-delivery-records.js"),
    import("../redis/redis-acked-failures.js"),
  ]);
  const redis = await connectRedis({ url, logger });
  const prefix = delivery.redisPrefix;
  return {
    redis,
    stores: {
      tokens: createRedisTokenStore({ redis, logger, keyPrefix: `${prefix}:token:` }),
      deliveries: createRedisDeliveryRecords({
        redis,
        keyPrefix: `${prefix}:delivery:`,
        leaseMs: delivery.leaseMs,
      }),
      ackedFailures: createRedisAckedFailures({ redis, key: `${prefix}:failed-after-ack` }),
      ready: () => redis.status === "ready",
    },
    close: () =>
      redis.quit().then(
        () => undefined,
        () => redis.disconnect(),
      ),
  };
}
