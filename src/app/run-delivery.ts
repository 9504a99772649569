import type { AsyncLocalStorage } from "node:async_hooks";
import type { Logger } from "pino";
import { systemClock, type Clock } from "../clock.js";
import type { DeliveryEvents, DeliverySummary } from "../events/delivery-events.js";
import type { AckedFailures } from "../webhooks/acked-failures.js";
import type { DeliveryRecords, Outcome } from "../webhooks/delivery-records.js";
import { describeDelivery } from "../webhooks/describe-delivery.js";
import type { Delivery } from "../webhooks/parse-delivery.js";

export interface RunOptions {
  /** The owner value the delivery's record was begun with. */
  owner: string;
  /** 1 for the first run; the queue counts its retries. */
  attempt?: number;
  /** True once GitHub was answered 202 for it: a failure is then noted for `redeliver`. */
  acknowledged?: () => boolean;
  /**
   * False when something else is the delivery's record and lease (the queue's job and its
   * lock): the run then neither renews nor finishes a delivery record.
   */
  record?: boolean;
}

export interface RunResult {
  outcome: Outcome;
  error?: unknown;
}

/** A delivery whose handlers are running in this process. */
export interface Running {
  delivery: Delivery;
  owner: string;
  /** Settles with the run's outcome; "released" when it was handed back first. */
  outcome: Promise<RunResult>;
  /** Frees the record so another process may run it, and settles `outcome` as "released". */
  release(): Promise<void>;
}

/** Runs one accepted delivery to its end: handlers, lease renewal, its record, its events. */
export interface DeliveryRunner {
  /** Never rejects: the outcome says how the handlers ended, `error` why they failed. */
  run(delivery: Delivery, options: RunOptions): Promise<RunResult>;
  running(): Running[];
}

export interface DeliveryRunnerOptions {
  dispatch: (delivery: Delivery) => Promise<void>;
  records: DeliveryRecords;
  events: DeliveryEvents;
  logger: Logger;
  clock?: Clock;
  /** Where failures after a 202 are noted for `redeliver`. */
  ackedFailures?: AckedFailures;
  /**
   * The delivery running now, for API calls that carry no `x-github-delivery` header (a
   * token exchange); entered only while an API-call listener needs it (`wantsAttribution`).
   */
  current?: AsyncLocalStorage<string>;
}

function errorText(error: unknown): string {
  const failures = error instanceof AggregateError ? error.errors : [error];
  return failures
    .map((failure) => (failure instanceof Error ? failure.message : String(failure)))
    .join("; ")
    .slice(0, 1000);
}

export function createDeliveryRunner(options: DeliveryRunnerOptions): DeliveryRunner {
  const clock = options.clock ?? systemClock;
  const { records, events } = options;
  /** By owner: a delivery whose lease lapsed may be taken again by this same process. */
  const runs = new Map<string, Running>();
  const renewEveryMs = Math.max(50, Math.floor(records.leaseMs / 3));
  /** The runs whose records this process renews, each with whether its lease was lost. */
  const leased = new Map<string, { delivery: Delivery; lost: boolean }>();
  // One timer for every run rather than one per delivery (a timer made and cleared for each
  // showed in the profile). A run is renewed within a third of the lease of its start, then
  // every third, so two renewals can fail before it lapses.
  let ticker: NodeJS.Timeout | undefined;

  function renewAll(): void {
    for (const [owner, lease] of leased) {
      records.renew(lease.delivery.id, owner).then(
        (held) => {
          if (!held && !lease.lost) {
            lease.lost = true;
            options.logger.warn(
              { deliveryId: lease.delivery.id },
              "the delivery's lease lapsed while its handlers ran; another process may run it too",
            );
          }
        },
        () => undefined,
      );
    }
  }

  function renewWhile(delivery: Delivery, owner: string): () => void {
    leased.set(owner, { delivery, lost: false });
    if (ticker === undefined) {
      ticker = setInterval(renewAll, renewEveryMs);
      ticker.unref();
    }
    return () => {
      leased.delete(owner);
      if (leased.size === 0 && ticker !== undefined) {
        clearInterval(ticker);
        ticker = undefined;
      }
    };
  }

  async function settle(
    delivery: Delivery,
    summary: DeliverySummary,
    run: RunOptions,
    outcome: Outcome,
    error: unknown,
    startedAt: number,
  ): Promise<void> {
    try {
      // GitHub saw a 202 and counts this delivered: only this note says it failed, so it is
      // written first, whatever happens to the record after it.
      if (outcome === "failed" && run.acknowledged?.()) {
        await options.ackedFailures?.add(delivery.id, clock.now());
      }
      if (run.record !== false) await records.finish(delivery.id, run.owner, outcome);
    } catch (failure) {
      options.logger.error(
        { err: failure, deliveryId: delivery.id },
        "could not record the delivery's outcome",
      );
    }
    if (events.wants("finished")) {
      events.emit({
        type: "finished",
        delivery: summary,
        outcome: outcome === "released" ? "handed-back" : outcome,
        seconds: (clock.now() - startedAt) / 1000,
        ...(error !== undefined && { error: errorText(error) }),
      });
    }
  }

  return {
    run(delivery, run) {
      const summary = describeDelivery(delivery);
      const startedAt = clock.now();
      if (events.wants("started")) {
        events.emit({ type: "started", delivery: summary, attempt: run.attempt ?? 1 });
      }
      const stopRenewing = run.record === false ? () => undefined : renewWhile(delivery, run.owner);
      let handBack: (() => void) | undefined;
      const handedBack = new Promise<"released">((resolve) => {
        handBack = () => resolve("released");
      });
      // A dispatch that throws before returning a promise must still finish its record, or
      // every redelivery would find it "running" until the lease lapsed.
      const enter = () => Promise.resolve(delivery).then(options.dispatch);
      const handlers = (
        options.current && events.wantsAttribution()
          ? options.current.run(delivery.id, enter)
          : enter()
      ).then(
        () => ({ outcome: "completed" as const, error: undefined }),
        (error: unknown) => ({ outcome: "failed" as const, error }),
      );
      const outcome = Promise.race([
        handlers,
        handedBack.then((released) => ({ outcome: released, error: undefined })),
      ]).then(async (ended) => {
        stopRenewing();
        runs.delete(run.owner);
        await settle(delivery, summary, run, ended.outcome, ended.error, startedAt);
        return ended;
      });
      runs.set(run.owner, {
        delivery,
        owner: run.owner,
        outcome,
        async release() {
          handBack?.();
          await outcome;
        },
      });
      return outcome;
    },
    running: () => [...runs.values()],
  };
}
