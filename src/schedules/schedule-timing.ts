import { createRequire } from "node:module";
import type CronParser from "cron-parser";
import { parseDuration } from "../config/parse-duration.js";
import type { ScheduleTiming } from "./schedule-types.js";

// cron-parser brings luxon (260 KB): required on the first cron timing, not at every start.
// CommonJS, so a synchronous require keeps nextTick synchronous.
let cronParser: typeof CronParser | undefined;
const loadCronParser = () =>
  (cronParser ??= createRequire(import.meta.url)("cron-parser") as typeof CronParser);

/** Milliseconds from "90s", "15m", "1h", "7d" or a number; throws naming `what` otherwise. */
export function toMs(value: string | number, what: string): number {
  const ms = typeof value === "number" ? value : parseDuration(value);
  if (ms === undefined || !Number.isFinite(ms) || ms <= 0) {
    throw new Error(`${what}: "${String(value)}" is not a duration like "15m", "1h" or "7d"`);
  }
  return ms;
}

/** The first tick strictly after `after`. Throws on a bad timing (at load time, by `check`). */
export function nextTick(timing: ScheduleTiming, after: number): number {
  if ("every" in timing) {
    const every = toMs(timing.every, "every");
    // On multiples since the epoch: every process and every restart agrees on the ticks.
    return (Math.floor(after / every) + 1) * every;
  }
  const expression = loadCronParser().parseExpression(timing.cron, {
    currentDate: new Date(after),
    tz: timing.timezone ?? "UTC",
  });
  return expression.next().getTime();
}

/** Throws, naming the schedule, when its timing cannot tick. */
export function checkTiming(timing: ScheduleTiming, schedule: string): void {
  const hasEvery = "every" in timing && timing.every !== undefined;
  const hasCron = "cron" in timing && timing.cron !== undefined;
  if (hasEvery === hasCron) {
    throw new Error(`schedule "${schedule}": give either "every" or "cron"`);
  }
  try {
    nextTick(timing, 0);
  } catch (error) {
    throw new Error(`schedule "${schedule}": ${(error as Error).message}`, { cause: error });
  }
}
