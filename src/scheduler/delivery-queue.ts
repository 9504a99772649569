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

/** How long a completed delivery is remembered (answered 200 duplicate) after its job is gone. */
export const REMEMBER_COMPLETED_MS = 7 * 24 * 3600_000;
/**
 * A dead job is kept as long as a deduplication key lives (set when it was queued or retried,
 * so before it failed), and by age only: the state script reads "key, no job" as completed, so
 * a failed job pruned while its key lived (a count limit, or a worker dying before it dropped
 * the key) would answer GitHub's redelivery 200 duplicate and lose it. 7 days also covers
 * GitHub's 3-day redelivery window, for `jobs retry`.
 */
const KEEP_FAILED_S = REMEMBER_COMPLETED_MS / 1000;

/**
 * A delivery's job: its id is the delivery id, and BullMQ's deduplication key (the same id,
 * kept 7 days) outlives the job, so the queue itself remembers completed deliveries: adding
 * one again is a no-op, with no delivery record written per delivery.
 */
export const jobOptions = (id: string) => ({
  jobId: id,
  deduplication: { id, ttl: REMEMBER_COMPLETED_MS },
});

export function queueOptions(settings: QueueSettings): Omit<QueueOptions, "connection"> {
  return {
    prefix: settings.prefix,
    defaultJobOptions: {
      attempts: settings.attempts,
      backoff: { type: "exponential", delay: settings.backoffMs },
      // The deduplication key remembers completed deliveries; the job is not needed after.
      removeOnComplete: true,
      removeOnFail: { age: KEEP_FAILED_S },
    },
  };
}

export type DeliveryQueue = Queue<DeliveryJob, string, string>;
