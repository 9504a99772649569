import { join } from "node:path";
import type { Command } from "commander";
import { withDotenv } from "../../config/load-dotenv.js";
import { readConfig } from "../../config/read-config.js";
import { HookwrightError } from "../../errors.js";
import { createLogger } from "../../logging/create-logger.js";
import { assembleApp, loadPlugins } from "../build-app.js";
import type { CliIo } from "../io.js";
import { describeListenFailure } from "../listen-failure.js";
import { drain } from "../start-stores.js";
import { requireApp } from "./app-setup.js";

/**
 * `hookwright worker [plugin…]`: runs queued deliveries (REDIS_URL) with the plugins, with no
 * HTTP server, until SIGTERM; then lets its jobs finish for the drain window and hands the
 * rest back to the queue.
 */
export async function workerCommand(names: string[], io: CliIo): Promise<void> {
  const config = readConfig(withDotenv(io.env, join(io.cwd, ".env")), {
    isTty: io.isTty,
    webhookSecretOptional: true,
  });
  const app = requireApp(config);
  if (!config.redisUrl || !config.delivery.queue) {
    throw new HookwrightError(
      "CONFIG_INVALID",
      "REDIS_URL is not set (or DELIVERY_QUEUE=off): workers take deliveries from the Redis queue that receivers fill",
      { variable: "REDIS_URL" },
    );
  }
  const secrets = app.webhookSecrets;
  const logger = createLogger({
    level: config.logLevel,
    format: config.logFormat,
    secrets: [...secrets, ...(config.metrics.token === undefined ? [] : [config.metrics.token])],
  });
  const { refs, stored, hookwright } = await assembleApp(config, io, { names, logger, secrets });
  await loadPlugins(hookwright, refs, logger);
  await stored.queue?.start(hookwright, Math.max(1, config.delivery.workers));
  // No webhook port here: METRICS_PORT is the only way to see this process's GitHub calls.
  await hookwright.serveMetrics(config.host).catch(async (error: unknown) => {
    await drain(hookwright, stored.queue, 0, logger);
    await stored.stop();
    throw describeListenFailure(error, config.metrics.port ?? 0, config.host, "METRICS_PORT");
  });
  await hookwright.schedules.start();
  logger.info({ concurrency: config.delivery.workerConcurrency }, "worker started");
  await new Promise<void>((done) => io.onShutdown(done));
  logger.info("shutting down: finishing jobs in flight");
  await drain(hookwright, stored.queue, config.delivery.drainMs, logger);
  await stored.stop();
}

export function addWorkerCommand(program: Command, io: CliIo): void {
  program
    .command("worker")
    .description("run queued deliveries (REDIS_URL) with the plugins, without an HTTP server")
    .argument("[plugins...]", "plugin names in plugins/ or module paths")
    .action((plugins: string[]) => workerCommand(plugins, io));
}
