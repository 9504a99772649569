import { resolve } from "node:path";
import type { Command } from "commander";
import { createFileJournal } from "../../webhooks/file-journal.js";
import { parseDuration } from "../../config/parse-duration.js";
import { systemClock } from "../../clock.js";
import { HookwrightError } from "../../errors.js";
import type { Redelivery } from "../../redeliver/choose-redeliveries.js";
import { redeliverFailed } from "../../redeliver/redeliver-failed.js";
import type { CliIo } from "../io.js";
import {
  createAppSetup,
  createStderrLogger,
  readCommandConfig,
  type CommandDeps,
} from "./app-setup.js";

interface RedeliverFlags {
  since: string;
  dryRun?: boolean;
}

const describe = ({ attempt, failures }: Redelivery) =>
  `${attempt.guid} ${attempt.action ? `${attempt.event}.${attempt.action}` : attempt.event} ` +
  `(answered ${attempt.statusCode || "nothing"}, ${failures} failed attempt${failures === 1 ? "" : "s"})`;

/** `hookwright redeliver`: asks GitHub to redeliver what failed, one line per event. */
export async function redeliverCommand(
  flags: RedeliverFlags,
  io: CliIo,
  deps: CommandDeps = {},
): Promise<void> {
  const windowMs = parseDuration(flags.since);
  if (windowMs === undefined) {
    throw new HookwrightError(
      "USAGE",
      `--since takes a duration such as 90m, 24h or 3d, not "${flags.since}"`,
    );
  }
  const config = readCommandConfig(io);
  const logger = createStderrLogger(config, io);
  const setup = createAppSetup(config, logger, deps);
  // Failures after a 202 and deliveries handed back at a drain: in Redis, or in the journal.
  const redis = config.redisUrl
    ? await (
        await import("../../redis/connect-redis.js")
      ).connectRedis({ url: config.redisUrl, logger })
    : undefined;
  let choice;
  try {
    choice = await redeliverFailed({
      octokit: setup.clients.forApp(),
      sinceMs: (deps.clock ?? systemClock).now() - windowMs,
      dryRun: flags.dryRun,
      ackedFailures: redis
        ? (await import("../../redis/redis-acked-failures.js")).createRedisAckedFailures({
            redis,
            key: `${config.delivery.redisPrefix}:failed-after-ack`,
          })
        : createFileJournal({ dir: resolve(io.cwd, config.delivery.dataDir) }),
    });
  } catch (error) {
    throw setup.explain(error);
  } finally {
    await redis?.quit().catch(() => redis.disconnect());
  }
  const verb = flags.dryRun ? "would redeliver" : "redelivered";
  for (const entry of choice.redeliver) io.stdout(`${verb} ${describe(entry)}\n`);
  for (const entry of choice.gaveUp) io.stdout(`gave up on ${describe(entry)}\n`);
  io.stderr(
    `${choice.redeliver.length} ${verb}, ${choice.gaveUp.length} given up on, in the last ${flags.since}\n`,
  );
}

export function addRedeliverCommand(program: Command, io: CliIo, deps?: CommandDeps): void {
  program
    .command("redeliver")
    .description("ask GitHub to redeliver the app's failed webhook deliveries")
    .option("--since <duration>", "how far back to look: 90m, 24h, 3d", "24h")
    .option("--dry-run", "list what would be redelivered without asking GitHub")
    .action((flags: RedeliverFlags) => redeliverCommand(flags, io, deps));
}
