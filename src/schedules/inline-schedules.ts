import { systemClock, type Clock } from "../clock.js";
import { planRuns, runScheduled, type ScheduleDeps } from "./run-scheduled.js";
import type { ScheduleRuntime } from "./schedule-runtime.js";
import { nextTick } from "./schedule-timing.js";
import type { RegisteredSchedule, ScheduleStatus, ScheduleTarget } from "./schedule-types.js";
import { systemTimers, type Timers } from "./timers.js";

export interface InlineSchedulesOptions extends ScheduleDeps {
  clock?: Clock;
  timers?: Timers;
}

interface Armed {
  schedule: RegisteredSchedule;
  next?: number;
  last?: number;
  timer?: unknown;
}

/**
 * Without Redis: each schedule's ticks fire from timers in this one process. A tick lists
 * its targets then and starts each run after its delay; a run in progress is waited for by
 * `stop`. Two processes without Redis would each run every tick: use REDIS_URL for several.
 */
export function createInlineSchedules(options: InlineSchedulesOptions): ScheduleRuntime {
  const clock = options.clock ?? systemClock;
  const timers = options.timers ?? systemTimers;
  const armed = new Map<string, Armed>();
  /** Runs planned but not started, so an uninstall can drop them. */
  const pending = new Map<unknown, ScheduleTarget>();
  const running = new Set<Promise<void>>();
  const forgotten = new Set<number>();
  let stopped = false;

  function arm(entry: Armed) {
    if (stopped) return;
    const now = clock.now();
    const next = nextTick(entry.schedule.spec, now);
    entry.next = next;
    entry.timer = timers.setTimeout(() => fire(entry, next), next - now);
  }

  function start(entry: Armed, tick: number, target: ScheduleTarget) {
    const id = target.installation?.id;
    if (id !== undefined && forgotten.has(id)) return;
    const run = runScheduled(options, entry.schedule, tick, target).catch(() => undefined);
    running.add(run);
    return run.finally(() => running.delete(run));
  }

  async function fire(entry: Armed, tick: number) {
    entry.last = tick;
    arm(entry);
    let planned;
    try {
      planned = await planRuns(options, entry.schedule, tick);
    } catch (error) {
      options.logger.error({ err: error, schedule: entry.schedule.id }, "could not plan the tick");
      return;
    }
    for (const { target, delayMs } of planned) {
      if (stopped) return;
      const handle: unknown = timers.setTimeout(() => {
        pending.delete(handle);
        return start(entry, tick, target);
      }, delayMs);
      pending.set(handle, target);
    }
  }

  return {
    async start(schedules) {
      for (const schedule of schedules) {
        const entry: Armed = { schedule };
        armed.set(schedule.id, entry);
        arm(entry);
      }
    },
    async stop() {
      stopped = true;
      for (const entry of armed.values()) timers.clearTimeout(entry.timer);
      for (const handle of pending.keys()) timers.clearTimeout(handle);
      pending.clear();
      await Promise.allSettled([...running]);
    },
    async status(): Promise<ScheduleStatus[]> {
      return [...armed.values()].map(({ schedule, next, last }) => ({
        id: schedule.id,
        per: schedule.per,
        ...(last !== undefined && { lastRunAt: last }),
        ...(next !== undefined && { nextRunAt: next }),
      }));
    },
    async forget(installationId) {
      forgotten.add(installationId);
      for (const [handle, target] of pending) {
        if (target.installation?.id !== installationId) continue;
        timers.clearTimeout(handle);
        pending.delete(handle);
      }
    },
    async remember(installationId) {
      forgotten.delete(installationId);
    },
  };
}
