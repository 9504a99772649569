import { checkTiming, toMs } from "./schedule-timing.js";
import type {
  RegisteredSchedule,
  ScheduleApi,
  ScheduleHandler,
  ScheduleOptions,
  ScheduleSpec,
  ScheduleTiming,
} from "./schedule-types.js";

/** Every plugin's schedules in one app, checked as they are registered. */
export interface ScheduleRegistry {
  /** The `app.schedule` a plugin gets. */
  forPlugin(plugin: string): ScheduleApi["schedule"];
  list(): RegisteredSchedule[];
}

const PER = ["app", "installation", "repository"];

export function createScheduleRegistry(): ScheduleRegistry {
  const schedules: RegisteredSchedule[] = [];
  return {
    forPlugin(plugin) {
      return ((
        name: string,
        timing: ScheduleTiming | ScheduleSpec,
        third: ScheduleOptions | ScheduleHandler,
        fourth?: ScheduleHandler,
      ) => {
        const handler = typeof third === "function" ? third : fourth;
        const spec = { ...timing, ...(typeof third === "function" ? {} : third) } as ScheduleSpec;
        if (typeof handler !== "function") {
          throw new Error(`schedule "${name}": the last argument is the handler`);
        }
        if (!/^[\w.-]+$/.test(name)) {
          throw new Error(`schedule "${name}": a name is letters, digits, ".", "-" or "_"`);
        }
        const id = `${plugin}/${name}`;
        if (schedules.some((schedule) => schedule.id === id)) {
          throw new Error(`schedule "${name}" is registered twice by ${plugin}`);
        }
        checkTiming(spec, name);
        const per = spec.per ?? "installation";
        if (!PER.includes(per)) {
          throw new Error(`schedule "${name}": per is "app", "installation" or "repository"`);
        }
        const jitterMs =
          spec.jitter === undefined ? 0 : toMs(spec.jitter, `schedule "${name}" jitter`);
        const spreadMs =
          spec.spread === undefined ? undefined : toMs(spec.spread, `schedule "${name}" spread`);
        schedules.push({ id, plugin, name, spec, per, jitterMs, spreadMs, handler });
      }) as ScheduleApi["schedule"];
    },
    list: () => [...schedules],
  };
}
