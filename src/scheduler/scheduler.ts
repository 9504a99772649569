import type { Delivery } from "../webhooks/parse-delivery.js";

/** The HTTP answer a scheduler gives for a verified delivery. */
export interface Scheduled {
  status: number;
  body: unknown;
}

/** What the delivery queue holds now, read from it when `/metrics` is scraped. */
export interface QueueStats {
  waiting: number;
  active: number;
  delayed: number;
  failed: number;
  /** Seconds since the oldest waiting job was queued; 0 when none waits. */
  oldestWaitingSeconds: number;
}

/**
 * How an accepted delivery gets run: inline (now, in this process, 202 at the deadline) or
 * queued (BullMQ, run by workers). The receiver verifies and parses; the scheduler decides
 * the answer and owns the delivery until it is run, handed back, or refused.
 */
export interface Scheduler {
  /** Throws a HookwrightError (503) when the delivery cannot be accepted safely. */
  schedule(delivery: Delivery): Promise<Scheduled>;
  /**
   * Lets deliveries running in this process finish for up to `timeoutMs`, then hands back
   * what is left (to the queue, or to the journal for `redeliver`). Returns their ids.
   */
  drain(timeoutMs: number): Promise<string[]>;
  /** Deliveries whose handlers run in this process now. */
  inFlight(): number;
  /** The queue's depth and its oldest waiting job's age; only a queue has them. */
  stats?(): Promise<QueueStats>;
}
