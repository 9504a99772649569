import type { DeliveryConfig } from "./config.js";
import { bad, readInteger, value, type Env } from "./env-values.js";

/** How deliveries are run, queued, leased and handed back (CONTRACT §3, §7). */
export function readDeliveryConfig(env: Env): DeliveryConfig {
  const redisPrefix = value(env, "REDIS_PREFIX") ?? "hookwright";
  // BullMQ joins keys with ":"; a prefix holding one would split its own key names.
  if (!/^[A-Za-z0-9_{}.-]+$/.test(redisPrefix)) {
    throw bad("REDIS_PREFIX", "may hold letters, digits, _ . - and {} (a Cluster hash tag) only");
  }
  const maxWaiting = value(env, "QUEUE_MAX_WAITING");
  const queue = value(env, "DELIVERY_QUEUE") ?? "on";
  if (queue !== "on" && queue !== "off") {
    throw bad("DELIVERY_QUEUE", 'must be "on" (queue with REDIS_URL) or "off" (run inline)');
  }
  return {
    dataDir: value(env, "DATA_DIR") ?? ".hookwright",
    workers: readInteger(env, "WORKERS", 1, 0, 64),
    workerConcurrency: readInteger(env, "WORKER_CONCURRENCY", 10, 1, 1000),
    attempts: readInteger(env, "DELIVERY_ATTEMPTS", 5, 1, 100),
    maxWaiting:
      maxWaiting === undefined
        ? undefined
        : readInteger(env, "QUEUE_MAX_WAITING", 0, 1, 100_000_000),
    leaseMs: readInteger(env, "DELIVERY_LEASE_MS", 15_000, 1000, 30_000),
    redisPrefix,
    queue: queue === "on",
    drainMs: readInteger(env, "SHUTDOWN_DRAIN_MS", 8000, 0, 600_000),
  };
}
