import type { Command } from "commander";
import { HookwrightError } from "../../errors.js";
import type { DeliveryQueue } from "../../scheduler/delivery-queue.js";
import { describeDelivery } from "../../webhooks/describe-delivery.js";
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
    const jobs = await queue.getFailed(0, PAGE - 1);
    for (const job of jobs) {
      const { event } = describeDelivery(job.data);
      const at = job.finishedOn ? new Date(job.finishedOn).toISOString() : "-";
      const reason = (job.failedReason ?? "").replace(/\s+/g, " ").slice(0, 200);
      io.stdout(`${job.id}\t${event}\t${job.attemptsMade} attempts\t${at}\t${reason}\n`);
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
    const jobs = all ? await queue.getFailed(0, -1) : [await queue.getJob(id!)];
    let retried = 0;
    for (const job of jobs) {
      if (!job || (await job.getState()) !== "failed") {
        if (!all) throw new HookwrightError("USAGE", `no failed job with id ${id}`);
        continue;
      }
      await job.retry("failed", { resetAttemptsMade: true });
      retried += 1;
      io.stdout(`${job.id}\n`);
    }
    io.stderr(`${retried} deliveries queued again\n`);
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
