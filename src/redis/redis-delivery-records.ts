import type { Redis } from "ioredis";
import { luaScript } from "./lua-script.js";
import {
  DEFAULT_LEASE_MS,
  type BeginResult,
  type DeliveryRecords,
} from "../webhooks/delivery-records.js";

export interface RedisDeliveryRecordsOptions {
  redis: Redis;
  keyPrefix?: string;
  /** How long a running record holds without renewal (the bound after a crash). */
  leaseMs?: number;
  /** How long a completed delivery is remembered; GitHub redelivers for up to 3 days. */
  completedTtlMs?: number;
}

const DAY = 24 * 60 * 60_000;
const COMPLETED = "completed";

// A record is "completed" or "running:<owner>" with the lease as its TTL: a lapsed lease is
// simply a missing key, so a crashed process needs no clean-up. One script per transition
// keeps two receivers (or a receiver and a worker) from both taking the same delivery.
const BEGIN = luaScript(`local v = redis.call("GET", KEYS[1])
if v == "${COMPLETED}" then return "completed" end
if v then return "running" end
redis.call("SET", KEYS[1], ARGV[1], "PX", ARGV[2])
return "started"`);

const RENEW_IF_OWNED = luaScript(`if redis.call("GET", KEYS[1]) == ARGV[1] then
  return redis.call("PEXPIRE", KEYS[1], ARGV[2])
end
return 0`);

// Frees the record only while it is still this run's: once a lease has lapsed and another
// process has taken the delivery, a late failure here must not erase that run.
const DELETE_IF_OWNED = luaScript(`if redis.call("GET", KEYS[1]) == ARGV[1] then
  return redis.call("DEL", KEYS[1])
end
return 0`);

/**
 * Delivery records every receiver and worker shares. An unreachable Redis rejects, which the
 * receiver answers with 503 so GitHub keeps the delivery for a retry.
 */
export function createRedisDeliveryRecords(options: RedisDeliveryRecordsOptions): DeliveryRecords {
  const { redis } = options;
  const namespace = options.keyPrefix ?? "hookwright:delivery:";
  const leaseMs = options.leaseMs ?? DEFAULT_LEASE_MS;
  const completedTtlMs = options.completedTtlMs ?? 7 * DAY;
  const value = (owner: string) => `running:${owner}`;
  return {
    leaseMs,
    async begin(id, owner) {
      return (await BEGIN(redis, [namespace + id], [value(owner), leaseMs])) as BeginResult;
    },
    async renew(id, owner) {
      return (await RENEW_IF_OWNED(redis, [namespace + id], [value(owner), leaseMs])) === 1;
    },
    async finish(id, owner, outcome) {
      const key = namespace + id;
      // The event was handled, whichever run holds the record now.
      if (outcome === "completed") await redis.set(key, COMPLETED, "PX", completedTtlMs);
      else await DELETE_IF_OWNED(redis, [key], [value(owner)]);
    },
    async isCompleted(id) {
      return (await redis.get(namespace + id)) === COMPLETED;
    },
  };
}
