import type { Logger } from "pino";
import { systemClock, type Clock } from "../clock.js";
import { HookwrightError } from "../errors.js";
import type { DeliveryEvents, DeliveryEventType } from "../events/delivery-events.js";
import { jobOptions, QUEUE_NAME, type DeliveryQueue } from "./delivery-queue.js";
import { deliveryState, redisOf, requeueFailed, type DeliveryState } from "./delivery-state.js";
import type { Scheduler } from "./scheduler.js";

export interface QueueSchedulerOptions {
  queue: DeliveryQueue;
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
 * second add of the same id is a no-op), answered 202 at once; workers run it. The queue is
 * the delivery's only record: a completed delivery (remembered by its deduplication key) is
 * answered 200 and not queued again; one that died in the failed set is retried, since GitHub
 * redelivering it is a request to run it again.
 */
export function createQueueScheduler(options: QueueSchedulerOptions): Scheduler {
  const { queue, events } = options;
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
    const observe = RELAYED.filter((type) => events.wantsRelayed(type));
    const add = () =>
      queue.add(QUEUE_NAME, { id, name, payload, origin: options.origin, observe }, jobOptions(id));
    const redis = await redisOf(queue);
    let state: DeliveryState;
    if (await full()) {
      state = await deliveryState(redis, queue, id);
      if (state === "new") throw new HookwrightError("QUEUE_FULL");
    } else {
      // One wait for both: the state is read first (sent first on the same connection), and
      // the add is a no-op for a delivery the queue holds or remembers.
      [state] = await Promise.all([deliveryState(redis, queue, id), add()]);
    }
    if (state === "completed") return "duplicate" as const;
    if (state === "failed") {
      const job = await queue.getJob(id);
      // Pruned since its state was read (after the add, a no-op then): queued anew instead.
      if (!job || !(await requeueFailed(queue, job))) await add();
      return "retried" as const;
    }
    if (state === "new") waiting += 1;
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
