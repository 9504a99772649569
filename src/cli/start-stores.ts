import type { KeyObject } from "node:crypto";
import { resolve } from "node:path";
import type { Logger } from "pino";
import type { Hookwright, Stores } from "../app/create-app.js";
import type { Config } from "../config/config.js";
import type { DeliveryEvents } from "../events/delivery-events.js";
import { createFileJournal } from "../webhooks/file-journal.js";
import type { CliIo } from "./io.js";
import { openSharedStores } from "./shared-stores.js";
import { startQueueRuntime, type QueueRuntime } from "./start-queue.js";

/**
 * Where deliveries are kept across processes: Redis and its queue with REDIS_URL, else this
 * process's memory plus the journal in DATA_DIR for what a drain hands back.
 */
export async function startStores(
  privateKey: KeyObject,
  config: Config,
  io: CliIo,
  logger: Logger,
  events: DeliveryEvents,
) {
  if (!config.redisUrl) {
    const journal = createFileJournal({ dir: resolve(io.cwd, config.delivery.dataDir) });
    return {
      stores: { ackedFailures: journal } as Stores,
      queue: undefined,
      stop: () => undefined,
    };
  }
  const shared = await openSharedStores(config.redisUrl, config.delivery, logger, privateKey);
  if (!config.delivery.queue) {
    logger.info(
      "DELIVERY_QUEUE=off: deliveries run inline; tokens and records shared through REDIS_URL",
    );
    return { stores: shared.stores, queue: undefined, stop: () => shared.close() };
  }
  const queue = await startQueueRuntime({
    url: config.redisUrl,
    redis: shared.redis,
    delivery: config.delivery,
    logger,
    events,
  });
  logger.info(
    { workers: config.delivery.workers, concurrency: config.delivery.workerConcurrency },
    "deliveries queued through REDIS_URL (BullMQ); token cache and delivery records shared",
  );
  return { stores: shared.stores, queue, stop: () => shared.close() };
}

/** Lets running deliveries end within `drainMs`; hands the rest back (queue, or the journal). */
export async function drain(
  hookwright: Hookwright,
  queue: QueueRuntime | undefined,
  drainMs: number,
  logger: Logger,
) {
  const complete = await hookwright.close(drainMs);
  await queue?.stop(drainMs);
  if (!complete) logger.warn("deliveries still running at the end of the drain were handed back");
}
