import { join } from "node:path";
import type { Logger } from "pino";
import type { Hookwright, Stores } from "../app/create-app.js";
import type { Config } from "../config/config.js";
import { withDotenv } from "../config/load-dotenv.js";
import { readConfig } from "../config/read-config.js";
import { createLogger, createScrubber } from "../logging/create-logger.js";
import type { Sandbox } from "../sandbox/create-sandbox.js";
import { assembleApp, loadPlugins } from "./build-app.js";
import type { CliIo } from "./io.js";
import { describeListenFailure } from "./listen-failure.js";
import { drain } from "./start-stores.js";
import type { FailedJobs } from "../scheduler/failed-jobs.js";

type Stop = () => unknown;

// The sandbox (a whole simulated GitHub), the console, app registration and the smee tunnel
// are each loaded only in the mode that uses them: together they were most of the start time.
async function importConsole() {
  const [page, log, samples] = await Promise.all([
    import("../console/create-console.js"),
    import("../console/delivery-log.js"),
    import("../console/samples.js"),
  ]);
  return { ...page, ...log, ...samples };
}

/** A host to reach this server from the same machine. */
function localHost(host: string | undefined): string {
  if (host === undefined || host === "0.0.0.0" || host === "::") return "127.0.0.1";
  return host.includes(":") ? `[${host}]` : host;
}

/**
 * `hookwright run [plugin…]`: loads the plugins and serves webhooks until SIGTERM/SIGINT.
 * Without APP_ID it runs the same server against a simulated GitHub (sandbox).
 */
export async function runCommand(pluginNames: string[], io: CliIo): Promise<void> {
  const config = readConfig(withDotenv(io.env, join(io.cwd, ".env")), {
    isTty: io.isTty,
    serving: true,
  });
  const sandbox = config.app
    ? undefined
    : await (await import("../sandbox/create-sandbox.js")).startSandbox();
  try {
    await serve(config, sandbox, pluginNames, io);
  } finally {
    await sandbox?.close();
  }
}

async function serve(config: Config, sandbox: Sandbox | undefined, names: string[], io: CliIo) {
  const secrets = config.app?.webhookSecrets ?? [sandbox!.webhookSecret];
  const logger = createLogger({
    level: config.logLevel,
    format: config.logFormat,
    secrets: [...secrets, ...(config.metrics.token === undefined ? [] : [config.metrics.token])],
  });
  if (config.app) {
    const { appId, privateKey } = config.app;
    logger.info({ appId, keyFingerprint: privateKey.fingerprint }, "private key loaded");
  }
  // Undone in reverse: what serves requests first, then the drain, then the stores.
  const serving: Stop[] = [];
  const { refs, stored, hookwright } = await assembleApp(config, io, {
    names,
    logger,
    secrets,
    sandbox,
  });
  const deliveryConsole = await startConsole(
    config,
    io,
    hookwright,
    sandbox,
    logger,
    secrets,
    stored.queue?.failedJobs,
  );
  await loadPlugins(hookwright, refs, logger);
  await stored.queue?.start(hookwright, config.delivery.workers);
  await hookwright.schedules.start();
  // The sandbox console is open to whoever reaches it, so it stays on loopback unless told.
  const host = config.host ?? (sandbox ? "127.0.0.1" : undefined);
  const server = await hookwright.listen(config.port, host).catch(async (error: unknown) => {
    deliveryConsole?.close();
    await stored.queue?.stop(0);
    await stored.stop();
    const metricsPort = (error as { metricsPort?: number } | null)?.metricsPort;
    if (metricsPort === undefined) throw describeListenFailure(error, config.port, host);
    throw describeListenFailure(error, metricsPort, host, "METRICS_PORT");
  });
  const base = `http://${localHost(host)}:${(server.address() as { port: number }).port}`;
  if (sandbox) {
    logger.info(
      { console: `${base}/`, sandbox: true },
      `sandbox mode (no APP_ID): open ${base}/ to send a sample event and watch the bot answer; register a real GitHub App from there, or fill in .env, then restart`,
    );
  } else if (deliveryConsole) {
    const hosts = config.publicUrl ? "" : "; set PUBLIC_URL to open it under a public host";
    logger.info(
      { console: `${base}/` },
      `delivery console at ${base}/ (needs CONSOLE_TOKEN${hosts})`,
    );
  }
  serving.push(() => deliveryConsole?.close());
  serving.push(await startRedelivery(config, hookwright, stored.stores, logger));
  serving.push(await startTunnel(config, sandbox, `${base}${config.webhookPath}`, logger));
  await new Promise<void>((done) => io.onShutdown(done));
  logger.info("shutting down: finishing deliveries in flight");
  for (const stop of serving.reverse()) await stop();
  await drain(hookwright, stored.queue, config.delivery.drainMs, logger);
  await stored.stop();
}

async function startConsole(
  config: Config,
  io: CliIo,
  hookwright: Hookwright,
  sandbox: Sandbox | undefined,
  logger: Logger,
  secrets: readonly string[],
  failedJobs: FailedJobs | undefined,
) {
  if (sandbox === undefined && config.consoleToken === undefined) return undefined;
  const kit = await importConsole();
  const scrub = createScrubber(secrets);
  const log = kit.createDeliveryLog({ scrub });
  log.attach(hookwright.events);
  const createSetup = sandbox && (await import("../setup/create-setup.js")).createSetup;
  const deliveryConsole = kit.createConsole({
    log,
    receiver: hookwright.receiver,
    secret: secrets[0]!,
    token: config.consoleToken,
    fixturesDir: kit.findFixturesDir(io.cwd),
    logger,
    webUrl: config.webUrl,
    webhookProxyUrl: config.webhookProxyUrl,
    publicUrl: config.publicUrl,
    schedules: () => hookwright.schedules.status(),
    failedJobs,
    scrub,
    sandbox,
    // Registering writes .env: offered only while there is no app to overwrite.
    setup: createSetup
      ? createSetup({
          webUrl: config.webUrl,
          apiUrl: config.apiUrl,
          requestTimeoutMs: config.githubRequestTimeoutMs,
          appYmlPath: join(io.cwd, "app.yml"),
          envPath: join(io.cwd, ".env"),
          webhookProxyUrl: config.webhookProxyUrl,
        })
      : undefined,
  });
  // Mounted before the plugins' routers, so the console keeps `/`.
  hookwright.getRouter("/").use(deliveryConsole.router);
  return deliveryConsole;
}

/**
 * REDELIVER_INTERVAL asks GitHub again on a timer. Without it, a journal left by the last
 * drain is still acted on once at start, so a deploy never strands a delivery.
 */
async function startRedelivery(
  config: Config,
  hookwright: Hookwright,
  stores: Stores,
  logger: Logger,
): Promise<Stop> {
  const journalled = async () =>
    !config.redisUrl && ((await stores.ackedFailures?.since(0))?.size ?? 0) > 0;
  if (!config.app || (config.redeliverIntervalMs === undefined && !(await journalled()))) {
    return () => undefined;
  }
  const { scheduleRedelivery } = await import("../redeliver/schedule-redelivery.js");
  const schedule = scheduleRedelivery({
    octokit: () => hookwright.clients.forApp(),
    intervalMs: config.redeliverIntervalMs ?? 3_600_000,
    logger,
    ackedFailures: stores.ackedFailures,
  });
  if (config.redeliverIntervalMs === undefined) {
    schedule.stop();
    void schedule.tick();
  }
  return () => schedule.stop();
}

async function startTunnel(
  config: Config,
  sandbox: Sandbox | undefined,
  target: string,
  logger: Logger,
): Promise<Stop> {
  if (sandbox || !config.webhookProxyUrl) return () => undefined;
  const { createTunnel } = await import("../tunnel/create-tunnel.js");
  const tunnel = createTunnel({ source: config.webhookProxyUrl, target, logger });
  tunnel.start().catch((error: unknown) => logger.warn({ err: error }, "tunnel did not open"));
  return () => tunnel.stop();
}
