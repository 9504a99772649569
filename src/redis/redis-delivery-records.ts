import type { Redis } from "ioredis";
import type { DeliveryRecords } from "../webhooks/delivery-records.js";

export interface RedisDeliveryRecordsOptions {
  redis: Redis;
  keyPrefix?: string;
  /**
   * How long a "running" record holds: a process that dies mid-delivery never finishes it,
   * and its redelivery must run once this has passed.
   */
  runningTtlMs?: number;
  /** How long a completed delivery is remembered; GitHub redelivers for up to 3 days. */
  completedTtlMs?: number;
}

const MINUTE = 60_000;
const DAY = 24 * 60 * MINUTE;

/**
 * Delivery records every receiver shares: a delivery completed by one process answers 200
 * at every other without running again. Starting a delivery is one atomic `SET NX`, so two
 * receivers handed the same redelivery at once run it once. An unreachable Redis rejects
 * `begin`, which the receiver answers with 503 so GitHub keeps the delivery for a retry.
 */
export function createRedisDeliveryRecords(options: RedisDeliveryRecordsOptions): DeliveryRecords {
  const { redis } = options;
  const namespace = options.keyPrefix ?? "hookwright:delivery:";
  const runningTtlMs = options.runningTtlMs ?? 15 * MINUTE;
  const completedTtlMs = options.completedTtlMs ?? 7 * DAY;
  return {
    async begin(id) {
      const key = namespace + id;
      for (let attempt = 0; attempt < 2; attempt += 1) {
        if (await redis.set(key, "running", "PX", runningTtlMs, "NX")) return "started";
        const state = await redis.get(key);
        if (state === "completed" || state === "running") return state;
        // The record expired between the two commands: try to take it once more.
      }
      return "running";
    },
    async finish(id, outcome) {
      const key = namespace + id;
      if (outcome === "completed") await redis.set(key, "completed", "PX", completedTtlMs);
      else await redis.del(key);
    },
  };
}
