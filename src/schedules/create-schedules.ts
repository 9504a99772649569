import type { App } from "../app/app.js";
import { systemClock, type Clock } from "../clock.js";
import { createInlineSchedules } from "./inline-schedules.js";
import { runTickNow, type ScheduleDeps } from "./run-scheduled.js";
import { createScheduleRegistry } from "./schedule-registry.js";
import type { ScheduleRuntime } from "./schedule-runtime.js";
import type { ScheduleApi, ScheduleStatus } from "./schedule-types.js";
import type { Timers } from "./timers.js";

/** The schedules of a Hookwright: started after the plugins load, stopped by `close`. */
export interface Schedules {
  /** The `app.schedule` a plugin gets. */
  forPlugin(plugin: string): ScheduleApi["schedule"];
  /** Arms every registered schedule; called once the plugins have loaded. */
  start(): Promise<void>;
  stop(): Promise<void>;
  status(): Promise<ScheduleStatus[]>;
  /**
   * Runs one tick of a schedule now, every run in turn, and waits for them (for tests and
   * the console). `id` is `<plugin>/<name>` or, when only one plugin has it, the name.
   */
  run(id: string, tick?: number): Promise<void>;
}

export function createSchedules(options: {
  /** Timers in this process (the default), or BullMQ's job schedulers. */
  runtime?: (deps: ScheduleDeps) => ScheduleRuntime;
  deps: ScheduleDeps;
  clock?: Clock;
  timers?: Timers;
  /** The App that hears installation events, asked for when the first schedule starts. */
  eventsApp: () => App;
}): Schedules {
  const clock = options.clock ?? systemClock;
  const registry = createScheduleRegistry();
  const runtime = (
    options.runtime ?? ((deps) => createInlineSchedules({ ...deps, clock, timers: options.timers }))
  )(options.deps);
  let started = false;
  return {
    forPlugin: (plugin) => registry.forPlugin(plugin),
    async start() {
      const schedules = registry.list();
      if (started || schedules.length === 0) return;
      started = true;
      // Listing at each tick already leaves an uninstalled installation out; these drop the
      // runs a tick planned for it but has not started yet.
      const app = options.eventsApp();
      app.on(["installation.deleted", "installation.suspend"], (context) =>
        runtime.forget(context.payload.installation.id),
      );
      app.on(["installation.created", "installation.unsuspend"], (context) =>
        runtime.remember(context.payload.installation.id),
      );
      await runtime.start(schedules);
    },
    stop: () => runtime.stop(),
    status: () => runtime.status(),
    async run(id, tick = clock.now()) {
      const matches = registry
        .list()
        .filter((schedule) => schedule.id === id || schedule.name === id);
      if (matches.length !== 1) {
        const known = registry.list().map((schedule) => schedule.id);
        throw new Error(
          `schedule "${id}" ${matches.length === 0 ? "is not registered" : "is ambiguous"}; known: ${known.join(", ") || "none"}`,
        );
      }
      await runTickNow(options.deps, matches[0]!, tick);
    },
  };
}
