import { Queue, Worker, type ConnectionOptions, type Job } from "bullmq";
import type { Redis } from "ioredis";
import { systemClock, type Clock } from "../clock.js";
import { runId } from "./list-targets.js";
import { planRuns, runScheduled, type ScheduleDeps } from "./run-scheduled.js";
import type { ScheduleRuntime } from "./schedule-runtime.js";
import { nextTick, toMs } from "./schedule-timing.js";
import type { RegisteredSchedule, ScheduleStatus, ScheduleTarget } from "./schedule-types.js";

/** BullMQ's name for the queue of ticks and runs; its keys are `<prefix>:schedules:…`. */
export const SCHEDULE_QUEUE = "schedules";

type ScheduleJob =
  | { kind: "tick"; schedule: string }
  | { kind: "run"; schedule: string; tick: number; target: ScheduleTarget };

export interface QueueSchedulesOptions extends ScheduleDeps {
  /** The shared connection (commands fail fast while Redis is down). */
  redis: Redis;
  /** Key prefix, the deliveries queue's. */
  prefix: string;
  /**
   * A blocking connection for this process's schedule worker, asked for at start; none (or
   * undefined): this process only registers the schedules and hosts no worker.
   */
  workerConnection?: () => ConnectionOptions | undefined;
  /** Runs of a tick, and the tick itself, before they land in the failed set. */
  attempts: number;
  backoffMs: number;
  concurrency?: number;
  clock?: Clock;
}

// A run's job is kept this long after completing, so a tick retried after a partial failure
// adds only the runs that did not happen (same job id: a no-op).
const KEEP_COMPLETED_S = 24 * 3600;
const KEEP_FAILED_S = 3 * 24 * 3600;
const FORGOTTEN_S = 7 * 24 * 3600;

/** How far ahead of `now` a first tick must be, so BullMQ still finds it in the future. */
const startMarginMs = (every: number) => Math.min(every / 4, 5000);

function repeatOf(schedule: RegisteredSchedule, now: number) {
  const { spec } = schedule;
  if ("every" in spec) {
    // Without a start the first tick is now, at every deploy's first upsert; starting on the
    // next multiple puts ticks where the inline runtime puts them. A start BullMQ reads as past
    // (the upsert reached Redis after it: a slow connection, a tick boundary just crossed)
    // becomes BullMQ's own now, and every later tick keeps that odd offset: so the first tick
    // is a multiple at least a margin away.
    const every = toMs(spec.every, "every");
    return { every, startDate: nextTick(spec, now + startMarginMs(every)) };
  }
  return { pattern: spec.cron, tz: spec.timezone ?? "UTC" };
}

/** The tick a job scheduler's job stands for: its id is `repeat:<scheduler id>:<millis>`. */
function tickOf(job: Job): number {
  const fromId = Number(job.id?.split(":").at(-1));
  return Number.isFinite(fromId) ? fromId : job.timestamp + (job.opts.delay ?? 0);
}

/**
 * With REDIS_URL: each schedule is a BullMQ job scheduler (upserted by every process, so a
 * deploy keeps its ticks), whose one job per tick is taken by one worker across all
 * processes. That tick job lists the targets and adds one delayed job per run, with an id
 * per tick and target; each run is retried with backoff like a delivery.
 */
export function createQueueSchedules(options: QueueSchedulesOptions): ScheduleRuntime {
  const { redis, prefix } = options;
  const lastKey = `${prefix}:schedules:last-run`;
  const forgottenKey = (id: number) => `${prefix}:schedules:forgotten:${id}`;
  const queue = new Queue<ScheduleJob>(SCHEDULE_QUEUE, { connection: redis, prefix });
  const byId = new Map<string, RegisteredSchedule>();
  let worker: Worker<ScheduleJob> | undefined;
  const jobOptions = {
    attempts: options.attempts,
    backoff: { type: "exponential", delay: options.backoffMs },
    removeOnFail: { age: KEEP_FAILED_S },
  };

  async function tick(schedule: RegisteredSchedule, at: number) {
    await redis.hset(lastKey, schedule.id, String(at));
    const planned = await planRuns(options, schedule, at);
    await queue.addBulk(
      planned.map(({ target, delayMs }) => ({
        name: "run",
        data: { kind: "run" as const, schedule: schedule.id, tick: at, target },
        opts: {
          ...jobOptions,
          // BullMQ refuses ":" in a custom id.
          jobId: runId(schedule, at, target).replaceAll(":", "|"),
          delay: delayMs,
          removeOnComplete: { age: KEEP_COMPLETED_S },
        },
      })),
    );
  }

  async function process(job: Job<ScheduleJob>) {
    const schedule = byId.get(job.data.schedule);
    // Registered by a process running other plugins (or an older deploy): not ours to run.
    if (schedule === undefined) throw new Error(`schedule ${job.data.schedule} is not loaded here`);
    if (job.data.kind === "tick") return tick(schedule, tickOf(job));
    const installation = job.data.target.installation?.id;
    if (installation !== undefined && (await redis.exists(forgottenKey(installation))) === 1) {
      return;
    }
    await runScheduled(options, schedule, job.data.tick, job.data.target);
  }

  return {
    async start(schedules) {
      const clock = options.clock ?? systemClock;
      for (const schedule of schedules) {
        byId.set(schedule.id, schedule);
        await queue.upsertJobScheduler(schedule.id, repeatOf(schedule, clock.now()), {
          name: "tick",
          data: { kind: "tick", schedule: schedule.id },
          opts: { ...jobOptions, removeOnComplete: true },
        });
      }
      const connection = schedules.length > 0 ? options.workerConnection?.() : undefined;
      if (connection !== undefined) {
        worker = new Worker<ScheduleJob>(SCHEDULE_QUEUE, process, {
          connection,
          prefix,
          concurrency: options.concurrency ?? 4,
        });
        worker.on("error", (error) =>
          options.logger.warn({ err: { message: error.message } }, "schedule worker"),
        );
      }
    },
    async stop() {
      await worker?.close();
      await queue.close().catch(() => undefined);
    },
    async status(): Promise<ScheduleStatus[]> {
      const last = await redis.hgetall(lastKey);
      return Promise.all(
        [...byId.values()].map(async (schedule) => {
          const next = (await queue.getJobScheduler(schedule.id))?.next;
          const lastRunAt = last[schedule.id] === undefined ? undefined : Number(last[schedule.id]);
          return {
            id: schedule.id,
            per: schedule.per,
            ...(lastRunAt !== undefined && { lastRunAt }),
            ...(next !== undefined && { nextRunAt: Number(next) }),
          };
        }),
      );
    },
    async forget(installationId) {
      await redis.set(forgottenKey(installationId), "1", "EX", FORGOTTEN_S);
    },
    async remember(installationId) {
      await redis.del(forgottenKey(installationId));
    },
  };
}
