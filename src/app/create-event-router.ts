import type { AsyncLocalStorage } from "node:async_hooks";
import { createEventHandler } from "@octokit/webhooks";
import type { Logger } from "pino";
import type { TokenScope } from "../auth/create-app-auth.js";
import type { App, DeliveryError, PluginOptions } from "./app.js";
import { addProbotMembers } from "./probot-members.js";
import { callableLog } from "../context/callable-log.js";
import { createConfigCache, type ConfigCache } from "../context/config-cache.js";
import { Context } from "../context/context.js";
import type { ClientFactory } from "../github/create-client-factory.js";
import type { Octokit } from "../github/octokit.js";
import type { DeliveryEvents } from "../events/delivery-events.js";
import { deliveryFields } from "../logging/log-deliveries.js";
import { describeDelivery } from "../webhooks/describe-delivery.js";
import type { Delivery } from "../webhooks/parse-delivery.js";

/** Runs every plugin's handlers for a delivery, and gives each plugin its `App`. */
export interface EventRouter {
  /** `options` are the plugin's own (for `app.route` and `app.load`); none outside a server. */
  appFor(plugin: string, options?: PluginOptions): App;
  dispatch(delivery: Delivery): Promise<void>;
}

export interface EventRouterOptions {
  clients: ClientFactory;
  logger: Logger;
  /** Called before handlers run when an event changes what an installation's tokens may reach. */
  invalidate?: (installationId: number) => Promise<void>;
  /** `context.config()`'s cache; one per router by default. */
  configCache?: ConfigCache;
  /** Told when each plugin's handler starts and ends. */
  events?: DeliveryEvents;
  /** Holds the plugin whose handler runs, so its API calls can be attributed to it. */
  pluginScope?: AsyncLocalStorage<string>;
}

interface Shared {
  event: { id: string; name: string; payload: unknown };
  octokit: () => Octokit;
  /** The delivery's logger, made on first use: most deliveries log nothing. */
  log: () => Logger;
  config: (file: string, repo: { owner: string; repo: string }) => ReturnType<ConfigCache["read"]>;
}

// Events after which a cached token no longer matches the installation's access.
// https://docs.github.com/en/webhooks/webhook-events-and-payloads#installation
const ACCESS_CHANGES = new Set([
  "installation.deleted",
  "installation.suspend",
  "installation.new_permissions_accepted",
  "installation_repositories.added",
  "installation_repositories.removed",
]);

// GitHub lists at most 20 commits in a push payload.
// https://docs.github.com/en/webhooks/webhook-events-and-payloads#push
const PUSH_COMMIT_LIMIT = 20;

interface PushPayload {
  ref?: unknown;
  forced?: unknown;
  repository?: { full_name?: unknown; default_branch?: unknown };
  commits?: { added?: unknown; modified?: unknown; removed?: unknown }[];
}

/** Drops cached `.github/` files that a push to a default branch may have changed. */
function invalidateConfigs(configs: ConfigCache, payload: PushPayload, log: () => Logger): void {
  const repo = payload.repository?.full_name;
  const branch = payload.repository?.default_branch;
  if (typeof repo !== "string" || payload.ref !== `refs/heads/${String(branch)}`) return;
  const commits = Array.isArray(payload.commits) ? payload.commits : [];
  // A force push lists only the new commits, and a long push is cut short: the files that
  // changed are not all known, so everything read from the repository goes.
  const unknown = payload.forced === true || commits.length >= PUSH_COMMIT_LIMIT;
  const paths = commits.flatMap((commit) =>
    [commit.added, commit.modified, commit.removed].flatMap((list) =>
      Array.isArray(list) ? list.filter((path): path is string => typeof path === "string") : [],
    ),
  );
  const dropped = configs.invalidate(repo, unknown ? "all" : paths);
  if (dropped > 0) log().debug({ dropped }, "configuration cache entries dropped after a push");
}

function messageOf(error: unknown): string {
  const message = error instanceof Error ? error.message : String(error);
  return message.split("\n")[0]!.slice(0, 500);
}

export function createEventRouter(options: EventRouterOptions): EventRouter {
  const shared = new WeakMap<object, Shared>();
  const configs = options.configCache ?? createConfigCache();
  const handlers = createEventHandler({
    // The library calls transform once per handler; one delivery shares one client.
    transform: (event: object) => shared.get(event)!,
    log: {
      debug() {},
      info() {},
      // Old apps subscribe to names the library no longer lists (`integration_installation`):
      // such a handler runs if GitHub ever sends one, and is no cause for a warning.
      warn: (message: string) => {
        if (!/is not a known webhook name/.test(message)) options.logger.warn(message);
      },
      error() {},
    },
  } as never) as unknown as {
    on(name: string | string[], handler: (shared: Shared) => unknown): void;
    onAny(handler: (shared: Shared) => unknown): void;
    onError(handler: (error: DeliveryError) => unknown): void;
    receive(event: object): Promise<void>;
  };

  // Handlers are stored untyped: the union of every event's payload is too large to check here.
  type AnyHandler = (context: never) => unknown;

  function wrap(plugin: string, handler: AnyHandler) {
    return async ({ event, octokit, log, config }: Shared) => {
      let child: Logger | undefined;
      const pluginLog = () => (child ??= log().child({ plugin }));
      const context = new Context({ event: event as never, octokit, log: pluginLog, config });
      const events = options.events?.wants("plugin") ? options.events : undefined;
      const id = event.id;
      events?.emit({ type: "plugin", id, plugin, outcome: "started" });
      // Entered only while an API-call listener reads it: nobody else does.
      const scope = options.events?.wantsAttribution() ? options.pluginScope : undefined;
      try {
        await (scope
          ? scope.run(plugin, () => handler(context as never))
          : handler(context as never));
        events?.emit({ type: "plugin", id, plugin, outcome: "completed" });
      } catch (error) {
        events?.emit({ type: "plugin", id, plugin, outcome: "failed", error: messageOf(error) });
        pluginLog().error({ err: error }, "handler failed");
        // The library tags each failure with Object.assign(error, { event }), which throws on
        // `throw undefined` and would settle the delivery before the other handlers finish.
        throw typeof error === "object" && error !== null
          ? error
          : new Error(`handler threw ${String(error)}`, { cause: error });
      }
    };
  }

  const router: EventRouter = {
    appFor(plugin, pluginOptions) {
      const log = callableLog(options.logger.child({ plugin }));
      const app = {
        log,
        on: (name: string | string[], handler: AnyHandler) =>
          handlers.on(name, wrap(plugin, handler)),
        onAny: (handler: AnyHandler) => handlers.onAny(wrap(plugin, handler)),
        // The library reports a failing error handler with console.log; keep it in our log.
        onError: (handler: (error: DeliveryError) => unknown) =>
          handlers.onError(async (error) => {
            try {
              await handler(error);
            } catch (failure) {
              log.error({ err: failure, deliveryId: error.event.id }, "onError handler failed");
            }
          }),
        auth: async (installationId?: number, scope?: TokenScope) =>
          installationId === undefined
            ? options.clients.forApp({ log })
            : options.clients.forInstallation(installationId, { scope, log }),
      };
      addProbotMembers({
        app: app as unknown as App,
        options: pluginOptions,
        dispatch: (delivery) => router.dispatch(delivery),
      });
      return app as unknown as App;
    },
    async dispatch(delivery) {
      const summary = describeDelivery(delivery);
      const { event, installation } = summary;
      let deliveryLog: Logger | undefined;
      const log = () => (deliveryLog ??= options.logger.child(deliveryFields(summary)));
      if (installation !== undefined && options.invalidate && ACCESS_CHANGES.has(event)) {
        await options.invalidate(installation);
      }
      let client: Octokit | undefined;
      const octokit = () =>
        (client ??=
          installation === undefined
            ? options.clients.forApp({ deliveryId: delivery.id, log })
            : options.clients.forInstallation(installation, { deliveryId: delivery.id, log }));
      if (delivery.name === "push") invalidateConfigs(configs, delivery.payload, log);
      const config: Shared["config"] = (file, { owner, repo }) =>
        configs.read({ octokit: octokit(), installationId: installation, owner, repo, file });
      const webhookEvent = { id: delivery.id, name: delivery.name, payload: delivery.payload };
      shared.set(webhookEvent, { event: webhookEvent, octokit, log, config });
      await handlers.receive(webhookEvent);
    },
  };
  return router;
}
