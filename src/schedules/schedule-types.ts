import type { ScheduleContext } from "./schedule-context.js";

/** When a schedule ticks: every fixed interval, or on a cron pattern. */
export type ScheduleTiming =
  | {
      /** "15m", "1h", "7d" (s, m, h, d), or milliseconds. Ticks fall on multiples of it since the epoch. */
      every: string | number;
    }
  | {
      /** Five fields (minute hour day month weekday), or six with seconds first. */
      cron: string;
      /** IANA time zone the pattern is read in. Default UTC. */
      timezone?: string;
    };

/** What each tick runs for, and how spread out. */
export interface ScheduleOptions {
  /**
   * `"installation"` (default): once per installation, with its client. `"repository"`: once
   * per repository of each installation, spread over the interval. `"app"`: once, as the app.
   */
  per?: "app" | "installation" | "repository";
  /** Each run starts up to this much later, at random ("5m", or milliseconds). Default none. */
  jitter?: string | number;
  /**
   * `per: "repository"`: the window one installation's repository runs are spread over
   * ("2h", or milliseconds). Default 80 % of the interval, so they end before the next tick.
   */
  spread?: string | number;
}

export type ScheduleSpec = ScheduleTiming & ScheduleOptions;

/** Runs one run of a tick; may return a promise, which the run waits for. */
export type ScheduleHandler = (context: ScheduleContext) => unknown;

/** What `App` gains for scheduled work. */
export interface ScheduleApi {
  /**
   * Runs `handler` on a timer: with REDIS_URL as a BullMQ job scheduler (each tick once across
   * every process, kept across restarts, failed runs retried); without it in this process.
   * Each run gets a context whose `octokit` is the installation's (the app's for `per: "app"`).
   * @example
   * app.schedule("stale", { cron: "0 9 * * 1", per: "repository" }, async (context) => {
   *   const { data } = await context.octokit.rest.issues.listForRepo(context.repo({ state: "open" }));
   *   context.log.info({ open: data.length }, "weekly look");
   * });
   * app.schedule("reconcile", { every: "1h" }, { per: "installation", jitter: "5m" }, handler);
   */
  schedule(name: string, spec: ScheduleSpec, handler: ScheduleHandler): void;
  schedule(
    name: string,
    timing: ScheduleTiming,
    options: ScheduleOptions,
    handler: ScheduleHandler,
  ): void;
}

/** A schedule as it is registered: qualified by its plugin, its timing checked. */
export interface RegisteredSchedule {
  /** `<plugin>/<name>`: the metric label and the job scheduler's id. */
  id: string;
  plugin: string;
  name: string;
  spec: ScheduleSpec;
  per: "app" | "installation" | "repository";
  jitterMs: number;
  /** Undefined: 80 % of the interval. */
  spreadMs?: number;
  handler: ScheduleHandler;
}

/** One schedule's times, for `/metrics` and the console. Milliseconds since the epoch. */
export interface ScheduleStatus {
  id: string;
  per: RegisteredSchedule["per"];
  lastRunAt?: number;
  nextRunAt?: number;
}

/** Who one run is for: the app, an installation, or one of its repositories. */
export interface ScheduleTarget {
  installation?: { id: number; account: string };
  repository?: { owner: string; repo: string };
}
