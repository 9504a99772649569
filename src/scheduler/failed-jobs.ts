import { describeDelivery } from "../webhooks/describe-delivery.js";
import type { DeliveryQueue } from "./delivery-queue.js";
import { requeueFailed } from "./delivery-state.js";

/** A queued delivery whose attempts ran out, as `jobs failed` and the console list it. */
export interface FailedJob {
  id: string;
  event: string;
  attempts: number;
  /** When the last attempt failed (ISO 8601), or null when BullMQ did not record it. */
  failedAt: string | null;
  /** The last attempt's error, on one line, at most 200 characters. */
  reason: string;
}

/** The failed set: list it and send deliveries in it back to waiting. */
export interface FailedJobs {
  /** Newest first, at most `limit` of them. */
  list(limit: number): Promise<FailedJob[]>;
  /** Queues the failed delivery `id` again with fresh attempts; false when none is failed. */
  retry(id: string): Promise<boolean>;
  /** Queues every failed delivery again; returns their ids. */
  retryAll(): Promise<string[]>;
}

export function failedJobs(queue: DeliveryQueue): FailedJobs {
  const retryJob = async (job: Awaited<ReturnType<DeliveryQueue["getJob"]>>) => {
    if (!job || (await job.getState()) !== "failed") return false;
    return requeueFailed(queue, job);
  };
  return {
    async list(limit) {
      const jobs = await queue.getFailed(0, limit - 1);
      return jobs.map((job) => ({
        id: String(job.id),
        event: describeDelivery(job.data).event,
        attempts: job.attemptsMade,
        failedAt: job.finishedOn ? new Date(job.finishedOn).toISOString() : null,
        reason: (job.failedReason ?? "").replace(/\s+/g, " ").slice(0, 200),
      }));
    },
    retry: async (id) => retryJob(await queue.getJob(id)),
    async retryAll() {
      const retried: string[] = [];
      for (const job of await queue.getFailed(0, -1)) {
        if (await retryJob(job)) retried.push(String(job.id));
      }
      return retried;
    },
  };
}
