import type { Logger } from "pino";
import { systemClock, type Clock } from "../clock.js";
import type { Octokit } from "../github/octokit.js";
import type { AckedFailures } from "../webhooks/acked-failures.js";
import { redeliverFailed } from "./redeliver-failed.js";

const HOUR = 3_600_000;
/** GitHub keeps an app's delivery log for three days. */
const LOG_KEPT_MS = 72 * HOUR;
const MAX_REMEMBERED = 10_000;
const GAVE_UP = Number.POSITIVE_INFINITY;

export interface RedeliverySchedule {
  /** One pass now (the timer runs the same); never rejects. */
  tick(): Promise<void>;
  stop(): void;
}

/**
 * REDELIVER_INTERVAL: every interval, ask GitHub to redeliver what failed in the last two
 * intervals (at least an hour). Passes never overlap, and a failure is logged, not thrown.
 * The requests made for each delivery are remembered, so a handler that always fails is
 * given up on (and said once) even after its first failures leave the window.
 */
export function scheduleRedelivery(options: {
  clock?: Clock;
  octokit: () => Octokit;
  intervalMs: number;
  logger: Logger;
  ackedFailures?: AckedFailures;
}): RedeliverySchedule {
  const windowMs = Math.min(Math.max(2 * options.intervalMs, HOUR), LOG_KEPT_MS);
  // guid → requests made for it; GAVE_UP once reported. Bounded, oldest dropped first.
  const asked = new Map<string, number>();
  const remember = (guid: string, count: number) => {
    asked.delete(guid);
    asked.set(guid, count);
    if (asked.size > MAX_REMEMBERED) asked.delete(asked.keys().next().value!);
  };
  let running: Promise<void> | undefined;
  const pass = async () => {
    try {
      const choice = await redeliverFailed({
        octokit: options.octokit(),
        sinceMs: (options.clock ?? systemClock).now() - windowMs,
        ackedFailures: options.ackedFailures,
        alreadyAsked: (guid) => asked.get(guid) ?? 0,
      });
      for (const { attempt } of choice.redeliver) {
        remember(attempt.guid, (asked.get(attempt.guid) ?? 0) + 1);
      }
      const gaveUp = choice.gaveUp.filter(({ attempt }) => asked.get(attempt.guid) !== GAVE_UP);
      for (const { attempt } of gaveUp) remember(attempt.guid, GAVE_UP);
      if (choice.redeliver.length > 0 || gaveUp.length > 0) {
        options.logger.info(
          {
            redelivered: choice.redeliver.map(({ attempt }) => attempt.guid),
            gaveUp: gaveUp.map(({ attempt }) => attempt.guid),
          },
          "asked GitHub to redeliver failed deliveries",
        );
      }
    } catch (error) {
      options.logger.warn({ err: error }, "could not redeliver failed deliveries");
    }
  };
  const tick = () => {
    running ??= pass().finally(() => {
      running = undefined;
    });
    return running;
  };
  const timer = setInterval(() => void tick(), options.intervalMs);
  timer.unref();
  return { tick, stop: () => clearInterval(timer) };
}
