import { randomUUID } from "node:crypto";
import type { Logger } from "pino";
import { systemClock, type Clock } from "../clock.js";
import type { DeliveryRunner } from "../app/run-delivery.js";
import { HookwrightError, toErrorBody, toHttpStatus } from "../errors.js";
import type { AckedFailures } from "../webhooks/acked-failures.js";
import type { DeliveryRecords } from "../webhooks/delivery-records.js";
import type { Scheduler } from "./scheduler.js";
import { createDeadlines, type TimerFunctions } from "./deadlines.js";
import { settleWithin } from "./settle-within.js";

export interface InlineSchedulerOptions {
  runner: DeliveryRunner;
  records: DeliveryRecords;
  logger: Logger;
  /** GitHub waits 10 s for an answer; past this the delivery is answered 202 and goes on. */
  deadlineMs: number;
  /** Where deliveries still running when a drain ends are noted, so GitHub is asked again. */
  journal?: AckedFailures;
  clock?: Clock;
  /** The timer functions of the 202 deadlines; a test passes counting ones. */
  timers?: TimerFunctions;
}

const TIMED_OUT = Symbol("timed out");

/**
 * Runs each delivery at once in this process. GitHub gets 200 or 500 when the handlers end
 * within the deadline, 202 after it (a later failure is noted for `redeliver`).
 */
export function createInlineScheduler(options: InlineSchedulerOptions): Scheduler {
  const { runner, records } = options;
  /** Records being taken now: a drain waits for them, so their runs are seen and handed back. */
  const beginning = new Set<Promise<unknown>>();
  const deadlines = createDeadlines(options.deadlineMs, options.timers);
  return {
    async schedule(delivery) {
      const owner = randomUUID();
      let begun;
      const taking = records.begin(delivery.id, owner);
      beginning.add(taking);
      try {
        begun = await taking;
      } catch (cause) {
        throw new HookwrightError("SERVICE_UNAVAILABLE", "the delivery store cannot be reached", {
          cause,
        });
      } finally {
        beginning.delete(taking);
      }
      if (begun === "completed") return { status: 200, body: { status: "duplicate" } };
      if (begun === "running") {
        // 202 would make GitHub count it delivered: only say so while this process runs it.
        if (runner.running().some((run) => run.delivery.id === delivery.id)) {
          return { status: 202, body: { status: "running" } };
        }
        throw new HookwrightError("DELIVERY_IN_PROGRESS");
      }
      const answer = { acknowledged: false };
      const run = runner.run(delivery, { owner, acknowledged: () => answer.acknowledged });
      const result = await new Promise<Awaited<typeof run> | typeof TIMED_OUT>(
        (resolve, reject) => {
          const cancel = deadlines.add(() => resolve(TIMED_OUT));
          run.then(
            (ended) => {
              cancel();
              resolve(ended);
            },
            (error: unknown) => {
              cancel();
              reject(error);
            },
          );
        },
      );
      if (result === TIMED_OUT) {
        answer.acknowledged = true;
        return { status: 202, body: { status: "accepted" } };
      }
      if (result.outcome === "released") {
        // Handed back by a drain before GitHub was answered: a failure lets it come again.
        throw new HookwrightError("SERVICE_UNAVAILABLE", "the server is shutting down");
      }
      if (result.outcome === "failed") {
        const error = new HookwrightError("HANDLER_FAILED");
        return { status: toHttpStatus(error), body: toErrorBody(error) };
      }
      return { status: 200, body: { status: "completed" } };
    },
    async drain(timeoutMs) {
      await Promise.allSettled([...beginning]);
      const left = await settleWithin(runner.running(), timeoutMs);
      const now = (options.clock ?? systemClock).now();
      for (const run of left) {
        try {
          await options.journal?.add(run.delivery.id, now);
        } catch (error) {
          options.logger.error({ err: error, deliveryId: run.delivery.id }, "could not journal");
        }
        await run.release();
      }
      if (left.length > 0) {
        options.logger.warn(
          { deliveries: left.map((run) => run.delivery.id) },
          "deliveries still running at the end of the drain were handed back for redelivery",
        );
      }
      return left.map((run) => run.delivery.id);
    },
    inFlight: () => runner.running().length,
  };
}
