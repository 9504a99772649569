import type { KeyObject } from "node:crypto";
import { join } from "node:path";
import type { Logger } from "pino";
import { createApp } from "../app/create-app.js";
import type { Config } from "../config/config.js";
import { withDotenv } from "../config/load-dotenv.js";
import { readConfig } from "../config/read-config.js";
import { createLogger, createScrubber } from "../logging/create-logger.js";
import { findPlugins } from "../plugin-loader/find-plugins.js";
import { importPlugin } from "../plugin-loader/import-plugin.js";
import type { Sandbox } from "../sandbox/create-sandbox.js";
import { createMemoryAckedFailures } from "../webhooks/acked-failures.js";
import type { CliIo } from "./io.js";

const TYPESCRIPT = /\.[cm]?ts$/;
const DRAIN_MS = 8000;

/** Node cannot import .ts by itself; tsx's loader is registered only when a plugin needs it. */
async function registerTypeScript(): Promise<void> {
  const { register } = await import("tsx/esm/api");
  register();
}

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

/**
 * With REDIS_URL, the token cache, the delivery records and the failures after a 202 are
 * shared by every process on that Redis. The durable delivery queue and `hookwright worker`
 * are not built yet: each receiver still runs its deliveries itself.
 */
async function openSharedStores(url: string, logger: Logger, privateKey: KeyObject) {
  const [
    { connectRedis },
    { createRedisTokenCache },
    { createRedisDeliveryRecords },
    { createRedisAckedFailures },
  ] = await Promise.all([
    import("../redis/connect-redis.js"),
    import("../redis/redis-token-cache.js"),
    import("../redis/redis-delivery-records.js"),
    import("../redis/redis-acked-failures.js"),
  ]);
  const redis = await connectRedis({ url, logger });
  const tokens = createRedisTokenCache({ redis, privateKey, logger });
  await tokens.start();
  logger.info("token cache and delivery records shared through REDIS_URL");
  return {
    stores: {
      tokenStore: tokens.store,
      deliveryRecords: createRedisDeliveryRecords({ redis }),
      ackedFailures: createRedisAckedFailures({ redis }),
      storesReady: () => redis.status === "ready",
    },
    close: () =>
      tokens
        .stop()
        .then(() => redis.quit())
        .then(
          () => undefined,
          () => redis.disconnect(),
        ),
  };
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
  const config = readConfig(withDotenv(io.env, join(io.cwd, ".env")), { isTty: io.isTty });
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
  const logger = createLogger({ level: config.logLevel, format: config.logFormat, secrets });
  if (config.app) {
    const { appId, privateKey } = config.app;
    logger.info({ appId, keyFingerprint: privateKey.fingerprint }, "private key loaded");
  }
  const refs = findPlugins(io.cwd, names.length > 0 ? names : config.plugins);
  if (refs.some((ref) => TYPESCRIPT.test(ref.path))) await registerTypeScript();
  const consoleOn = sandbox !== undefined || config.consoleToken !== undefined;
  const consoleKit = consoleOn ? await importConsole() : undefined;
  const deliveryLog = consoleKit?.createDeliveryLog({ scrub: createScrubber(secrets) });
  const shared = config.redisUrl
    ? await openSharedStores(
        config.redisUrl,
        logger,
        config.app?.privateKey.key ?? sandbox!.privateKey,
      )
    : undefined;
  const ackedFailures = shared?.stores.ackedFailures ?? createMemoryAckedFailures();
  const hookwright = createApp({
    appId: config.app?.appId ?? sandbox!.appId,
    privateKey: config.app?.privateKey.key ?? sandbox!.privateKey,
    webhookSecrets: secrets,
    apiUrl: sandbox?.apiUrl ?? config.apiUrl,
    webhookPath: config.webhookPath,
    deadlineMs: config.deadlineMs,
    tokenRefreshMarginS: config.tokenRefreshMarginS,
    logger,
    cwd: io.cwd,
    observer: deliveryLog,
    ...shared?.stores,
    ackedFailures,
  });
  const createSetup = sandbox && (await import("../setup/create-setup.js")).createSetup;
  const deliveryConsole =
    consoleKit &&
    deliveryLog &&
    consoleKit.createConsole({
      log: deliveryLog,
      receiver: hookwright.receiver,
      secret: secrets[0]!,
      token: config.consoleToken,
      fixturesDir: consoleKit.findFixturesDir(io.cwd),
      logger,
      webUrl: config.webUrl,
      webhookProxyUrl: config.webhookProxyUrl,
      sandbox,
      // Registering writes .env: offered only while there is no app to overwrite.
      setup: createSetup
        ? createSetup({
            webUrl: config.webUrl,
            apiUrl: config.apiUrl,
            appYmlPath: join(io.cwd, "app.yml"),
            envPath: join(io.cwd, ".env"),
            webhookProxyUrl: config.webhookProxyUrl,
          })
        : undefined,
    });
  // Mounted before the plugins' routers, so the console keeps `/`.
  if (deliveryConsole) hookwright.getRouter("/").use(deliveryConsole.router);
  for (const ref of refs) {
    await hookwright.load(await importPlugin(ref, (specifier) => import(specifier)), ref.name);
  }
  logger.info({ plugins: refs.map((ref) => ref.name) }, "plugins loaded");
  if (refs.length === 0) logger.warn("no plugins found in plugins/ and none named in PLUGINS");
  // The sandbox console is open to whoever reaches it, so it stays on loopback unless told.
  const host = config.host ?? (sandbox ? "127.0.0.1" : undefined);
  const server = await hookwright.listen(config.port, host);
  const port = (server.address() as { port: number }).port;
  const base = `http://${localHost(host)}:${port}`;
  if (sandbox) {
    logger.info(
      { console: `${base}/`, sandbox: true },
      `sandbox mode (no APP_ID): open ${base}/ to send a sample event and watch the bot answer; register a real GitHub App from there, or fill in .env, then restart`,
    );
  } else if (deliveryConsole) {
    logger.info({ console: `${base}/` }, `delivery console at ${base}/ (needs CONSOLE_TOKEN)`);
  }
  const redelivery =
    config.redeliverIntervalMs === undefined
      ? undefined
      : (await import("../redeliver/schedule-redelivery.js")).scheduleRedelivery({
          octokit: () => hookwright.clients.forApp(),
          intervalMs: config.redeliverIntervalMs,
          logger,
          ackedFailures,
        });
  const tunnel =
    !sandbox && config.webhookProxyUrl
      ? (await import("../tunnel/create-tunnel.js")).createTunnel({
          source: config.webhookProxyUrl,
          target: `${base}${config.webhookPath}`,
          logger,
        })
      : undefined;
  tunnel?.start().catch((error: unknown) => logger.warn({ err: error }, "tunnel did not open"));
  await new Promise<void>((resolve) => {
    io.onShutdown(() => {
      logger.info("shutting down: finishing deliveries in flight");
      redelivery?.stop();
      deliveryConsole?.close();
      void Promise.resolve(tunnel?.stop())
        .then(() => hookwright.close(DRAIN_MS))
        .then(async (drained) => {
          if (!drained) logger.warn("deliveries still running at shutdown were abandoned");
          await shared?.close();
          resolve();
        });
    });
  });
}
