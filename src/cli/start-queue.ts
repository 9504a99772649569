import { randomUUID } from "node:crypto";
import type { Redis } from "ioredis";
import type { Logger } from "pino";
import type { Hookwright, SchedulerParts } from "../app/create-app.js";
import type { DeliveryConfig } from "../config/config.js";
import type { DeliveryEvents } from "../events/delivery-events.js";
import {
  queueOptions,
  QUEUE_NAME,
  type DeliveryQueue,
  type QueueSettings,
} from "../scheduler/delivery-queue.js";
import type { QueueWorker } from "../scheduler/queue-worker.js";
import type { Scheduler } from "../scheduler/scheduler.js";
import type { ScheduleDeps } from "../schedules/run-scheduled.js";
import type { ScheduleRuntime } from "../schedules/schedule-runtime.js";
import { failedJobs, type FailedJobs } from "../scheduler/failed-jobs.js";

/** Backoff before a failed delivery's first retry; each next one doubles (1, 2, 4, 8 s…). */
const BACKOFF_MS = 1000;

export function queueSettings(delivery: DeliveryConfig): QueueSettings {
  return {
    prefix: delivery.redisPrefix,
    attempts: delivery.attempts,
    backoffMs: BACKOFF_MS,
    leaseMs: delivery.leaseMs,
  };
}

/** The BullMQ queue on the shared connection (commands fail fast while Redis is down). */
export async function openQueue(redis: Redis, settings: QueueSettings): Promise<DeliveryQueue> {
  const { Queue } = await import("bullmq");
  return new Queue(QUEUE_NAME, { connection: redis, ...queueOptions(settings) }) as DeliveryQueue;
}

export interface QueueRuntime {
  /** What createApp's `scheduler` option takes. */
  scheduler(parts: SchedulerParts): Scheduler;
  /** What createApp's `schedules` option takes: job schedulers; a worker here when it hosts workers. */
  schedules(deps: ScheduleDeps): ScheduleRuntime;
  /** Starts `count` workers on the app's runner, and the event relay. */
  start(hookwright: Hookwright, count: number): Promise<void>;
  /** The deliveries whose attempts ran out: listed and retried by the console. */
  failedJobs: FailedJobs;
  /** Drains workers (handing back what still runs), then closes the queue and relay. */
  stop(drainMs: number): Promise<string[]>;
}

/**
 * With REDIS_URL: deliveries go through BullMQ. This process is a receiver (scheduler), a host
 * of `count` workers, or both. Workers' events for deliveries received elsewhere are sent back
 * to the receiving process over Redis pub/sub, so its console and /metrics see them.
 */
export async function startQueueRuntime(options: {
  url: string;
  redis: Redis;
  delivery: DeliveryConfig;
  logger: Logger;
  events: DeliveryEvents;
}): Promise<QueueRuntime> {
  const settings = queueSettings(options.delivery);
  const self = randomUUID();
  const queue = await openQueue(options.redis, settings);
  const [
    { createQueueScheduler },
    { startQueueWorker },
    relay,
    { Redis },
    { createQueueSchedules },
  ] = await Promise.all([
    import("../scheduler/queue-scheduler.js"),
    import("../scheduler/queue-worker.js"),
    import("../events/relay-events.js"),
    import("ioredis"),
    import("../schedules/queue-schedules.js"),
  ]);
  const workers: QueueWorker[] = [];
  let hostsWorkers = false;
  const connections: Redis[] = [];
  let stopRelay: (() => Promise<void>) | undefined;
  const local = {
    drain: async (timeoutMs: number) =>
      (await Promise.all(workers.map((worker) => worker.drain(timeoutMs)))).flat(),
    inFlight: () => workers.reduce((sum, worker) => sum + worker.inFlight(), 0),
  };
  return {
    failedJobs: failedJobs(queue),
    scheduler: (parts) =>
      createQueueScheduler({
        queue,
        events: options.events,
        logger: parts.logger,
        origin: self,
        maxWaiting: options.delivery.maxWaiting,
        local,
      }),
    schedules: (deps) =>
      createQueueSchedules({
        ...deps,
        redis: options.redis,
        prefix: settings.prefix,
        attempts: settings.attempts,
        backoffMs: settings.backoffMs,
        // Ticks and runs go to the processes that run deliveries (WORKERS, `hookwright worker`).
        workerConnection: () => {
          if (!hostsWorkers) return undefined;
          const connection = new Redis(options.url, { maxRetriesPerRequest: null });
          connections.push(connection);
          return connection;
        },
      }),
    async start(hookwright, count) {
      hostsWorkers = count > 0;
      const subscriber = options.redis.duplicate();
      connections.push(subscriber);
      // The duplicate is lazy like the original: connected before it subscribes.
      await subscriber.connect();
      stopRelay = await relay.receiveRelayedEvents({
        subscriber,
        prefix: settings.prefix,
        self,
        events: options.events,
        logger: options.logger,
      });
      for (let index = 0; index < count; index += 1) {
        // BullMQ's workers block on their connection; it must retry forever, never fail a command.
        const connection = new Redis(options.url, { maxRetriesPerRequest: null });
        connections.push(connection);
        workers.push(
          startQueueWorker({
            connection,
            settings,
            runner: hookwright.runner,
            events: options.events,
            logger: options.logger,
            concurrency: options.delivery.workerConcurrency,
            relay: { redis: options.redis, self },
          }),
        );
      }
    },
    async stop(drainMs) {
      const handedBack = await local.drain(drainMs);
      await stopRelay?.();
      await queue.close().catch(() => undefined);
      for (const connection of connections) connection.disconnect();
      return handedBack;
    },
  };
}
