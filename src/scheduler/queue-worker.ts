import { randomUUID } from "node:crypto";
import { DelayedError, WaitingError, Worker, type ConnectionOptions, type Job } from "bullmq";
import type { Redis } from "ioredis";
import type { Logger } from "pino";
import type { DeliveryRunner } from "../app/run-delivery.js";
import { systemClock, type Clock } from "../clock.js";
import type { DeliveryEvents } from "../events/delivery-events.js";
import { publishEvents, type EventRoute } from "../events/relay-events.js";
import { deliveryFields } from "../logging/log-deliveries.js";
import type { DeliveryRecords } from "../webhooks/delivery-records.js";
import { describeDelivery } from "../webhooks/describe-delivery.js";
import { QUEUE_NAME, type DeliveryJob, type QueueSettings } from "./delivery-queue.js";
import type { Scheduler } from "./scheduler.js";
import { settleWithin } from "./settle-within.js";

export interface QueueWorkerOptions {
  /** A connection BullMQ may block on (ioredis with `maxRetriesPerRequest: null`). */
  connection: ConnectionOptions;
  settings: QueueSettings;
  runner: DeliveryRunner;
  records: DeliveryRecords;
  events: DeliveryEvents;
  logger: Logger;
  /** Jobs this worker runs at once. */
  concurrency: number;
  clock?: Clock;
  /** Sends events of deliveries received by another process back to it. */
  relay?: { redis: Redis; self: string };
}

export interface QueueWorker extends Pick<Scheduler, "drain" | "inFlight"> {
  readonly id: string;
}

function jobError(error: unknown): Error {
  if (error instanceof Error) return error;
  return new Error(`handler failed: ${String(error)}`);
}

/**
 * Runs queued deliveries. Each job takes the delivery's record under a lease first, so a
 * delivery another process is still running waits instead of running twice. A failed run
 * throws, and BullMQ retries it with backoff until its attempts run out (the failed set).
 * A killed worker stops renewing its job's lock: BullMQ's stalled check hands the job to
 * another worker once the lock lapses (`leaseMs`), and the record's lease has lapsed by then.
 */
export function startQueueWorker(options: QueueWorkerOptions): QueueWorker {
  const { records, runner, events, logger, settings } = options;
  const clock = options.clock ?? systemClock;
  const id = randomUUID();
  const jobs = new Map<string, { job: Job<DeliveryJob>; token: string | undefined }>();
  /** Delivery id → where its events go, while it runs here. */
  const routes = new Map<string, EventRoute>();
  const stopRelay =
    options.relay &&
    publishEvents({
      redis: options.relay.redis,
      prefix: settings.prefix,
      events,
      route: (deliveryId) => routes.get(deliveryId),
      self: options.relay.self,
    });

  async function process(job: Job<DeliveryJob>, token?: string): Promise<string> {
    const { id: deliveryId, name, payload } = job.data;
    const delivery = { id: deliveryId, name, payload };
    const owner = `${id}/${job.attemptsMade}/${randomUUID()}`;
    const begun = await records.begin(deliveryId, owner);
    if (begun === "completed") return "duplicate";
    if (begun === "running") {
      // Still held by a run whose lease has not lapsed: look again once it could have.
      await job.moveToDelayed(clock.now() + records.leaseMs, token);
      throw new DelayedError();
    }
    jobs.set(owner, { job, token });
    routes.set(deliveryId, job.data);
    try {
      const result = await runner.run(delivery, { owner, attempt: job.attemptsMade + 1 });
      if (result.outcome === "completed") return "completed";
      // Handed back by drain, which already moved the job back to waiting.
      if (result.outcome === "released") throw new WaitingError();
      throw jobError(result.error);
    } finally {
      jobs.delete(owner);
      routes.delete(deliveryId);
    }
  }

  const worker = new Worker<DeliveryJob, string, string>(QUEUE_NAME, process, {
    connection: options.connection,
    prefix: settings.prefix,
    concurrency: options.concurrency,
    lockDuration: settings.leaseMs,
    stalledInterval: Math.max(1000, Math.floor(settings.leaseMs / 3)),
    // A job survives as many worker deaths as it has attempts.
    maxStalledCount: settings.attempts,
    autorun: true,
  });
  worker.on("failed", (job, error) => {
    if (!job || job.attemptsMade < (job.opts.attempts ?? 1)) return;
    const summary = describeDelivery(job.data);
    logger.error(
      { ...deliveryFields(summary), attempts: job.attemptsMade, err: error },
      "delivery failed on every attempt; it waits in the failed set (hookwright jobs failed)",
    );
    routes.set(job.data.id, job.data);
    events.emit({
      type: "dead",
      delivery: summary,
      attempts: job.attemptsMade,
      error: error.message,
    });
    routes.delete(job.data.id);
  });
  worker.on("error", (error) => logger.warn({ err: { message: error.message } }, "queue worker"));

  return {
    id,
    inFlight: () => jobs.size,
    async drain(timeoutMs) {
      const closing = worker.close();
      const mine = runner.running().filter((run) => jobs.has(run.owner));
      const left = await settleWithin(mine, timeoutMs);
      for (const run of left) {
        const held = jobs.get(run.owner);
        try {
          // Back to waiting at once, for another worker: not after a lock timeout.
          await held?.job.moveToWait(held.token);
        } catch (error) {
          logger.warn({ err: error, deliveryId: run.delivery.id }, "job left to the stalled check");
        }
        await run.release();
      }
      await closing;
      stopRelay?.();
      return left.map((run) => run.delivery.id);
    },
  };
}
