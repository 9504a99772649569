import { Queue } from "bullmq";
import { Redis } from "ioredis";
import { createDeliveryRunner } from "../../../src/app/run-delivery.js";
import { createDeliveryEvents, type DeliveryEvent } from "../../../src/events/delivery-events.js";
import { createRedisDeliveryRecords } from "../../../src/redis/redis-delivery-records.js";
import { createQueueScheduler } from "../../../src/scheduler/queue-scheduler.js";
import { startQueueWorker, type QueueWorker } from "../../../src/scheduler/queue-worker.js";
import {
  queueOptions,
  QUEUE_NAME,
  type DeliveryQueue,
  type QueueSettings,
} from "../../../src/scheduler/delivery-queue.js";
import type { Delivery } from "../../../src/webhooks/parse-delivery.js";
import { captureLogs } from "../../helpers/capture-logs.js";
import type { useRedisServer } from "../../helpers/redis-server.js";

let counter = 0;

/**
 * A queue, its records and a runner on the test's redis-server, under a prefix of their own;
 * `dispatch` is what the "plugins" do. Everything opened is closed by `close()`.
 */
export async function openQueueHarness(
  redisServer: ReturnType<typeof useRedisServer>,
  dispatch: (delivery: Delivery) => Promise<void>,
  settings: Partial<QueueSettings> = {},
) {
  const full: QueueSettings = {
    prefix: `{q${++counter}-${process.pid}}`,
    attempts: 3,
    backoffMs: 50,
    leaseMs: 1000,
    ...settings,
  };
  const redis = await redisServer.connect();
  const queue = new Queue(QUEUE_NAME, {
    connection: redis,
    ...queueOptions(full),
  }) as DeliveryQueue;
  const records = createRedisDeliveryRecords({
    redis,
    keyPrefix: `${full.prefix}:delivery:`,
    leaseMs: full.leaseMs,
  });
  const events = createDeliveryEvents();
  const seen: DeliveryEvent[] = [];
  events.subscribe((event) => seen.push(event));
  const logs = captureLogs();
  const runner = createDeliveryRunner({ dispatch, records, events, logger: logs.logger });
  const blocking: Redis[] = [];
  const workers: QueueWorker[] = [];
  const workerConnection = () => {
    const connection = new Redis(redisServer.server.url, { maxRetriesPerRequest: null });
    blocking.push(connection);
    return connection;
  };
  return {
    settings: full,
    redis,
    queue,
    records,
    events,
    seen,
    logs,
    runner,
    /** A connection BullMQ's worker may block on, closed with the harness. */
    workerConnection,
    /** The receiver's side: a queue scheduler on this queue, as process `origin`. */
    scheduler: (origin = "here") =>
      createQueueScheduler({ queue, events, logger: logs.logger, origin }),
    /** A worker on the harness's runner, drained and closed with the harness. */
    startWorker(concurrency = 2): QueueWorker {
      const worker = startQueueWorker({
        connection: workerConnection(),
        settings: full,
        runner,
        events,
        logger: logs.logger,
        concurrency,
      });
      workers.push(worker);
      return worker;
    },
    async close() {
      for (const worker of workers) await worker.drain(0);
      await queue.close();
      for (const connection of blocking) connection.disconnect();
    },
  };
}

export const delivery = (id: string): Delivery => ({
  id,
  name: "issues",
  payload: { action: "opened", installation: { id: 7 }, repository: { full_name: "o/r" } },
});
