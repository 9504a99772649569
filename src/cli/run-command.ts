import { join } from "node:path";
import { createApp } from "../app/create-app.js";
import { withDotenv } from "../config/load-dotenv.js";
import { readConfig } from "../config/read-config.js";
import { HookwrightError } from "../errors.js";
import { createLogger } from "../logging/create-logger.js";
import { findPlugins } from "../plugin-loader/find-plugins.js";
import { importPlugin } from "../plugin-loader/import-plugin.js";
import type { CliIo } from "./io.js";

const TYPESCRIPT = /\.[cm]?ts$/;
const DRAIN_MS = 8000;

/** Node cannot import .ts by itself; tsx's loader is registered only when a plugin needs it. */
async function registerTypeScript(): Promise<void> {
  const { register } = await import("tsx/esm/api");
  register();
}

/** `hookwright run [plugin…]`: loads the plugins and serves webhooks until SIGTERM/SIGINT. */
export async function runCommand(pluginNames: string[], io: CliIo): Promise<void> {
  const config = readConfig(withDotenv(io.env, join(io.cwd, ".env")), { isTty: io.isTty });
  if (!config.app) {
    throw new HookwrightError(
      "CONFIG_INVALID",
      "APP_ID, PRIVATE_KEY (or PRIVATE_KEY_PATH) and WEBHOOK_SECRET are not set: copy .env.example to .env and fill them in from your GitHub App's settings page",
      { variable: "APP_ID" },
    );
  }
  const logger = createLogger({
    level: config.logLevel,
    format: config.logFormat,
    secrets: config.app.webhookSecrets,
  });
  logger.info(
    { appId: config.app.appId, keyFingerprint: config.app.privateKey.fingerprint },
    "private key loaded",
  );
  const refs = findPlugins(io.cwd, pluginNames.length > 0 ? pluginNames : config.plugins);
  if (refs.some((ref) => TYPESCRIPT.test(ref.path))) await registerTypeScript();
  const hookwright = createApp({
    appId: config.app.appId,
    privateKey: config.app.privateKey.key,
    webhookSecrets: config.app.webhookSecrets,
    apiUrl: config.apiUrl,
    webhookPath: config.webhookPath,
    deadlineMs: config.deadlineMs,
    tokenRefreshMarginS: config.tokenRefreshMarginS,
    logger,
    cwd: io.cwd,
  });
  for (const ref of refs) {
    await hookwright.load(await importPlugin(ref, (specifier) => import(specifier)), ref.name);
  }
  logger.info({ plugins: refs.map((ref) => ref.name) }, "plugins loaded");
  if (refs.length === 0) logger.warn("no plugins found in plugins/ and none named in PLUGINS");
  await hookwright.listen(config.port, config.host);
  await new Promise<void>((resolve) => {
    io.onShutdown(() => {
      logger.info("shutting down: finishing deliveries in flight");
      void hookwright.close(DRAIN_MS).then((drained) => {
        if (!drained) logger.warn("deliveries still running at shutdown were abandoned");
        resolve();
      });
    });
  });
}
