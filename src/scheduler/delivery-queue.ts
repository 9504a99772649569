import type { Queue, QueueOptions } from "bullmq";
import type { DeliveryEventType } from "../events/delivery-events.js";

/** BullMQ's name for the queue; its keys are `<prefix>:deliveries:…`. */
export const QUEUE_NAME = "deliveries";

/** What a job holds: the verified delivery, and who to tell about it. */
export interface DeliveryJob {
  id: string;
  name: string;
  payload: Record<string, unknown>;
  /** The process that received it: workers elsewhere send its events back there. */
  origin: string;
  /** The event types someone listened to in that process when it was queued. */
  observe: DeliveryEventType[];
}

export interface QueueSettings {
  /** Key prefix for every Redis key; `{name}` hash-tags it for a Redis Cluster. */
  prefix: string;
  /** Runs before a job lands in the failed set. */
  attempts: number;
  /** First retry after this; each next one waits twice as long. */
  backoffMs: number;
  /** A lease held this long without renewal lapses (a dead worker's jobs return after it). */
  leaseMs: number;
}

/** GitHub redelivers for 3 days; a dead job is kept as long, so `jobs retry` can still run it. */
const KEEP_FAILED_S = 3 * 24 * 3600;

export function queueOptions(settings: QueueSettings): Omit<QueueOptions, "connection"> {
  return {
    prefix: settings.prefix,
    defaultJobOptions: {
      attempts: settings.attempts,
      backoff: { type: "exponential", delay: settings.backoffMs },
      // The delivery record remembers completed deliveries; the job is not needed after.
      removeOnComplete: true,
      removeOnFail: { age: KEEP_FAILED_S, count: 10_000 },
    },
  };
}

export type DeliveryQueue = Queue<DeliveryJob, string, string>;
