import type { Logger } from "pino";
import { systemClock, type Clock } from "../clock.js";
import { HookwrightError } from "../errors.js";
import type { DeliveryEvents, DeliveryEventType } from "../events/delivery-events.js";
import type { DeliveryRecords } from "../webhooks/delivery-records.js";
import { QUEUE_NAME, type DeliveryQueue } from "./delivery-queue.js";
import type { Scheduler } from "./scheduler.js";

export interface QueueSchedulerOptions {
  queue: DeliveryQueue;
  records: DeliveryRecords;
  events: DeliveryEvents;
  logger: Logger;
  /** This process's id, so workers elsewhere can send the delivery's events back. */
  origin: string;
  /** Waiting jobs past which deliveries are refused with 503 (undefined: no bound). */
  maxWaiting?: number;
  clock?: Clock;
  /** Workers hosted in this process, for drain and in-flight counts. */
  local?: Pick<Scheduler, "drain" | "inFlight">;
}

const RELAYED: DeliveryEventType[] = ["started", "plugin", "api-call", "finished", "dead"];
/** How stale the waiting count may be: one LLEN a second instead of one per delivery. */
const COUNT_EVERY_MS = 1000;

/**
 * With REDIS_URL: a verified delivery becomes a BullMQ job whose id is the delivery id (a
 * second add of the same id is a no-op), answered 202 at once; workers run it. A completed
 * delivery is answered 200 and not queued again; one that died in the failed set is retried,
 * since GitHub redelivering it is a request to run it again.
 */
export function createQueueScheduler(options: QueueSchedulerOptions): Scheduler {
  const { queue, records, events } = options;
  const clock = options.clock ?? systemClock;
  let waiting = 0;
  let countedAt = -Infinity;

  async function full(): Promise<boolean> {
    if (options.maxWaiting === undefined) return false;
    if (clock.now() - countedAt >= COUNT_EVERY_MS) {
      countedAt = clock.now();
      waiting = await queue.getWaitingCount();
    }
    return waiting >= options.maxWaiting;
  }

  async function enqueue(id: string, name: string, payload: Record<string, unknown>) {
    const [completed, state] = await Promise.all([records.isCompleted(id), queue.getJobState(id)]);
    if (completed) return "duplicate" as const;
    if (state === "failed") {
      await (await queue.getJob(id))?.retry("failed");
      return "retried" as const;
    }
    if (state !== "unknown") return "queued" as const;
    if (await full()) throw new HookwrightError("QUEUE_FULL");
    const observe = RELAYED.filter((type) => events.wantsRelayed(type));
    await queue.add(
      QUEUE_NAME,
      { id, name, payload, origin: options.origin, observe },
      { jobId: id },
    );
    waiting += 1;
    return "queued" as const;
  }

  return {
    async schedule(delivery) {
      let result;
      try {
        result = await enqueue(delivery.id, delivery.name, delivery.payload);
      } catch (cause) {
        if (cause instanceof HookwrightError) throw cause;
        throw new HookwrightError("SERVICE_UNAVAILABLE", "the delivery queue cannot be reached", {
          cause,
        });
      }
      if (result === "duplicate") return { status: 200, body: { status: "duplicate" } };
      return { status: 202, body: { status: "queued" } };
    },
    drain: (timeoutMs) => options.local?.drain(timeoutMs) ?? Promise.resolve([]),
    inFlight: () => options.local?.inFlight() ?? 0,
    async stats() {
      // Ascending, the first waiting job is the oldest: BullMQ adds at the list's head.
      const [counts, [oldest]] = await Promise.all([
        queue.getJobCounts("waiting", "active", "delayed", "failed"),
        queue.getWaiting(0, 0),
      ]);
      return {
        waiting: counts.waiting ?? 0,
        active: counts.active ?? 0,
        delayed: counts.delayed ?? 0,
        failed: counts.failed ?? 0,
        oldestWaitingSeconds: oldest ? Math.max(0, (clock.now() - oldest.timestamp) / 1000) : 0,
      };
    },
  };
}
