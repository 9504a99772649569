import { randomUUID } from "node:crypto";
import { UnrecoverableError, WaitingError, Worker, type ConnectionOptions, type Job } from "bullmq";
import type { Redis } from "ioredis";
import type { Logger } from "pino";
import type { DeliveryRunner } from "../app/run-delivery.js";
import type { DeliveryEvents } from "../events/delivery-events.js";
import { publishEvents, type EventRoute } from "../events/relay-events.js";
import { deliveryFields } from "../logging/log-deliveries.js";
import { describeDelivery } from "../webhooks/describe-delivery.js";
import { QUEUE_NAME, type DeliveryJob, type QueueSettings } from "./delivery-queue.js";
import type { Scheduler } from "./scheduler.js";
import { settleWithin } from "./settle-within.js";

export interface QueueWorkerOptions {
  /** A connection BullMQ may block on (ioredis with `maxRetriesPerRequest: null`). */
  connection: ConnectionOptions;
  settings: QueueSettings;
  runner: DeliveryRunner;
  events: DeliveryEvents;
  logger: Logger;
  /** Jobs this worker runs at once. */
  concurrency: number;
  /** Sends events of deliveries received by another process back to it. */
  relay?: { redis: Redis; self: string };
}

export interface QueueWorker extends Pick<Scheduler, "drain" | "inFlight"> {
  readonly id: string;
}

/** BullMQ's reason for a job it failed because it stalled more than `maxStalledCount` times. */
const STALLED_TOO_OFTEN = "job stalled more than allowable limit";

/**
 * Whether a `failed` job is in the failed set, not backing off for another attempt: its attempts
 * ran out, or BullMQ failed it at once: an UnrecoverableError, which is also how BullMQ 5 fails
 * a job that stalled too often (its workers died), on its next pickup, without running it and
 * with `attemptsMade` only one past.
 */
function isFinalFailure(job: Job<DeliveryJob>, error: Error): boolean {
  if (job.attemptsMade >= (job.opts.attempts ?? 1)) return true;
  if (error instanceof UnrecoverableError || error.name === "UnrecoverableError") return true;
  return error.message === STALLED_TOO_OFTEN;
}

function jobError(error: unknown): Error {
  if (error instanceof Error) return error;
  return new Error(`handler failed: ${String(error)}`);
}

/**
 * Runs queued deliveries. The job is the delivery's record and its lock the lease: a worker
 * finishing a job takes the next one in the same call (BullMQ's moveToFinished), the only
 * Redis round trip per delivery here. A failed run throws, and BullMQ retries it with backoff
 * until its attempts run out (the failed set). A killed worker stops renewing its job's lock:
 * BullMQ's stalled check hands the job to another worker once the lock lapses (`leaseMs`).
 */
export function startQueueWorker(options: QueueWorkerOptions): QueueWorker {
  const { runner, events, logger, settings } = options;
  const id = randomUUID();
  const jobs = new Map<string, { job: Job<DeliveryJob>; token: string | undefined }>();
  /** Delivery id → where its events go, while it runs here. */
  const routes = new Map<string, EventRoute>();
  const forget = (job: Job<DeliveryJob>) =>
    job.removeDeduplicationKey().then(
      () => undefined,
      (error: unknown) => logger.warn({ err: error, deliveryId: job.data.id }, "dedup key kept"),
    );
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
    jobs.set(owner, { job, token });
    routes.set(deliveryId, job.data);
    try {
      // The job is the record and its lock the lease: no record is taken or finished here.
      const attempt = job.attemptsMade + 1;
      const result = await runner.run(delivery, { owner, attempt, record: false });
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
    if (!job || !isFinalFailure(job, error)) return;
    // Dead, and only now (the job is in the failed set): GitHub's redelivery must queue it anew
    // even once the failed job is removed. Were this process to die first, the failed job still
    // outlives the key (removeOnFail), so the delivery is never read as completed.
    void forget(job);
    const summary = describeDelivery(job.data);
    logger.error(
      { ...deliveryFields(summary), attempts: job.attemptsMade, err: error },
      "delivery died (attempts ran out, or failed for good); it waits in the failed set (hookwright jobs failed)",
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
      await stopRelay?.();
      return left.map((run) => run.delivery.id);
    },
  };
}
