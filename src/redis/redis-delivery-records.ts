import { randomUUID } from "node:crypto";
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
const RUNNING = "running:";

// Drops the record only while it is still this run's: once a "running" record has lapsed and
// another receiver has started the delivery, a late failure here must not erase that run.
const DELETE_IF_OWNED = `if redis.call("GET", KEYS[1]) == ARGV[1] then
  return redis.call("DEL", KEYS[1])
end
return 0`;

/**
 * Delivery records every receiver shares: a delivery completed by one process answers 200
 * at every other without running again. Starting a delivery is one atomic `SET NX` of a
 * value naming this run, so two receivers handed the same redelivery at once run it once.
 * An unreachable Redis rejects `begin`, which the receiver answers with 503 so GitHub keeps
 * the delivery for a retry.
 */
export function createRedisDeliveryRecords(options: RedisDeliveryRecordsOptions): DeliveryRecords {
  const { redis } = options;
  const namespace = options.keyPrefix ?? "hookwright:delivery:";
  const runningTtlMs = options.runningTtlMs ?? 15 * MINUTE;
  const completedTtlMs = options.completedTtlMs ?? 7 * DAY;
  /** Delivery id → the value this process's run wrote; an entry lives while the run does. */
  const owned = new Map<string, string>();
  return {
    async begin(id) {
      const key = namespace + id;
      for (let attempt = 0; attempt < 2; attempt += 1) {
        const mine = RUNNING + randomUUID();
        if (await redis.set(key, mine, "PX", runningTtlMs, "NX")) {
          owned.set(id, mine);
          return "started";
        }
        const state = await redis.get(key);
        if (state === "completed") return "completed";
        if (state?.startsWith(RUNNING)) return "running";
        // The record expired between the two commands: try to take it once more.
      }
      return "running";
    },
    async finish(id, outcome) {
      const key = namespace + id;
      const mine = owned.get(id);
      owned.delete(id);
      // The event was handled, whichever run holds the record now.
      if (outcome === "completed") await redis.set(key, "completed", "PX", completedTtlMs);
      else if (mine !== undefined) await redis.eval(DELETE_IF_OWNED, 1, key, mine);
    },
  };
}
