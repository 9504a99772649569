import type { Logger } from "pino";
import { createApp, type CreateAppOptions, type Hookwright } from "../app/create-app.js";
import type { Config } from "../config/config.js";
import { createDeliveryEvents, type DeliveryEvents } from "../events/delivery-events.js";
import { findPlugins, type PluginRef } from "../plugin-loader/find-plugins.js";
import { importPlugin } from "../plugin-loader/import-plugin.js";
import { registerTypeScriptFor } from "../plugin-loader/register-typescript.js";
import type { Sandbox } from "../sandbox/create-sandbox.js";
import { requestLimitsOf } from "./commands/app-setup.js";
import type { CliIo } from "./io.js";
import { startStores } from "./start-stores.js";

/** The plugins named on the command line, else PLUGINS, else every one in plugins/. */
export async function findPluginRefs(config: Config, names: string[], io: CliIo) {
  // Production runs the compiled plugins in dist/; development the sources, through tsx.
  const refs = findPlugins(io.cwd, names.length > 0 ? names : config.plugins, {
    preferCompiled: io.env.NODE_ENV === "production",
  });
  await registerTypeScriptFor(refs);
  return refs;
}

/** createApp from the configuration (or the sandbox's app), the same for `run` and `worker`. */
export function buildApp(
  config: Config,
  io: CliIo,
  parts: Pick<CreateAppOptions, "stores" | "scheduler" | "schedules"> & {
    logger: Logger;
    events: DeliveryEvents;
    secrets: readonly string[];
    sandbox?: Sandbox;
  },
): Hookwright {
  const { sandbox } = parts;
  return createApp({
    credentials: {
      appId: config.app?.appId ?? sandbox!.appId,
      privateKey: config.app?.privateKey.key ?? sandbox!.privateKey,
      webhookSecrets: parts.secrets,
    },
    github: {
      apiUrl: sandbox?.apiUrl ?? config.apiUrl,
      tokenRefreshMarginS: config.tokenRefreshMarginS,
      requestLimits: requestLimitsOf(config),
    },
    webhooks: { path: config.webhookPath, deadlineMs: config.deadlineMs },
    stores: parts.stores,
    http: config.http,
    metrics: config.metrics,
    scheduler: parts.scheduler,
    schedules: parts.schedules,
    dependencies: { logger: parts.logger, events: parts.events },
    cwd: io.cwd,
  });
}

export async function loadPlugins(hookwright: Hookwright, refs: PluginRef[], logger: Logger) {
  for (const ref of refs) {
    await hookwright.load(await importPlugin(ref, (specifier) => import(specifier)), ref.name);
  }
  logger.info({ plugins: refs.map((ref) => ref.name) }, "plugins loaded");
  if (refs.length === 0) logger.warn("no plugins found in plugins/ and none named in PLUGINS");
}

/** Plugins found, stores (and the queue) opened, the app built: what `run` and `worker` share. */
export async function assembleApp(
  config: Config,
  io: CliIo,
  parts: { names: string[]; logger: Logger; secrets: readonly string[]; sandbox?: Sandbox },
) {
  const refs = await findPluginRefs(config, parts.names, io);
  const events = createDeliveryEvents();
  const privateKey = config.app?.privateKey.key ?? parts.sandbox!.privateKey;
  const stored = await startStores(privateKey, config, io, parts.logger, events);
  const hookwright = buildApp(config, io, {
    ...parts,
    events,
    stores: stored.stores,
    scheduler: stored.queue?.scheduler,
    schedules: stored.queue?.schedules,
  });
  return { refs, stored, hookwright };
}
