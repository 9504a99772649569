import type { Redis } from "ioredis";
import type { AckedFailures } from "../webhooks/acked-failures.js";

/** GitHub keeps an app's delivery log for three days; older failures cannot be redelivered. */
const KEPT_MS = 72 * 3_600_000;

/** Failures after a 202 in one sorted set (score: when), shared by every process and the CLI. */
export function createRedisAckedFailures(options: { redis: Redis; key?: string }): AckedFailures {
  const { redis } = options;
  const key = options.key ?? "hookwright:failed-after-ack";
  return {
    async add(id, atMs) {
      await redis
        .multi()
        .zadd(key, atMs, id)
        .zremrangebyscore(key, "-inf", atMs - KEPT_MS)
        .exec();
    },
    async since(sinceMs) {
      const flat = await redis.zrangebyscore(key, sinceMs, "+inf", "WITHSCORES");
      const failures = new Map<string, number>();
      for (let index = 0; index < flat.length; index += 2) {
        failures.set(flat[index]!, Number(flat[index + 1]));
      }
      return failures;
    },
  };
}
