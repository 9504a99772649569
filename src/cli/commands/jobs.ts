import type { Command } from "commander";
import { HookwrightError } from "../../errors.js";
import type { DeliveryQueue } from "../../scheduler/delivery-queue.js";
import { failedJobs } from "../../scheduler/failed-jobs.js";
import type { CliIo } from "../io.js";
import { openQueue, queueSettings } from "../start-queue.js";
import { createStderrLogger, readCommandConfig } from "./app-setup.js";

const PAGE = 1000;

async function withQueue<T>(io: CliIo, use: (queue: DeliveryQueue) => Promise<T>): Promise<T> {
  const config = readCommandConfig(io);
  if (!config.redisUrl) {
    throw new HookwrightError(
      "CONFIG_INVALID",
      "REDIS_URL is not set: jobs live in the Redis queue",
      {
        variable: "REDIS_URL",
      },
    );
  }
  const logger = createStderrLogger(config, io);
  const { connectRedis } = await import("../../redis/connect-redis.js");
  const redis = await connectRedis({ url: config.redisUrl, logger });
  const queue = await openQueue(redis, queueSettings(config.delivery));
  try {
    return await use(queue);
  } finally {
    await queue.close().catch(() => undefined);
    await redis.quit().catch(() => redis.disconnect());
  }
}

/** `jobs failed`: one line per delivery whose attempts ran out, newest first. */
async function listFailed(io: CliIo): Promise<void> {
  await withQueue(io, async (queue) => {
    const jobs = await failedJobs(queue).list(PAGE);
    for (const job of jobs) {
      const line = [job.id, job.event, `${job.attempts} attempts`, job.failedAt ?? "-", job.reason];
      io.stdout(`${line.join("\t")}\n`);
    }
    io.stderr(`${jobs.length} failed deliveries\n`);
  });
}

/** `jobs retry <id>` / `jobs retry --all`: back to waiting, with a fresh set of attempts. */
async function retry(id: string | undefined, all: boolean, io: CliIo): Promise<void> {
  if ((id === undefined) === !all) {
    throw new HookwrightError("USAGE", "jobs retry takes a delivery id, or --all");
  }
  await withQueue(io, async (queue) => {
    const failed = failedJobs(queue);
    let retried: string[];
    if (all) retried = await failed.retryAll();
    else if (await failed.retry(id!)) retried = [id!];
    else throw new HookwrightError("USAGE", `no failed job with id ${id}`);
    for (const each of retried) io.stdout(`${each}\n`);
    io.stderr(`${retried.length} deliveries queued again\n`);
  });
}

export function addJobsCommand(program: Command, io: CliIo): void {
  const jobs = program
    .command("jobs")
    .description("with REDIS_URL: the queued deliveries whose attempts ran out");
  jobs
    .command("failed")
    .description("list deliveries in the failed set")
    .action(() => listFailed(io));
  jobs
    .command("retry")
    .description("run failed deliveries again")
    .argument("[id]", "a delivery id (X-GitHub-Delivery)")
    .option("--all", "every delivery in the failed set")
    .action((id: string | undefined, flags: { all?: boolean }) =>
      retry(id, flags.all === true, io),
    );
}
