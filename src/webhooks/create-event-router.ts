import { createEventHandler } from "@octokit/webhooks";
import type { Logger } from "pino";
import type { TokenScope } from "../auth/create-app-auth.js";
import type { App, DeliveryError } from "../app/app.js";
import { Context } from "../context/context.js";
import type { ClientFactory } from "../github/create-client-factory.js";
import type { Octokit } from "../github/octokit.js";
import type { Delivery } from "./parse-delivery.js";

/** Runs every plugin's handlers for a delivery, and gives each plugin its `App`. */
export interface EventRouter {
  appFor(plugin: string): App;
  dispatch(delivery: Delivery): Promise<void>;
}

export interface EventRouterOptions {
  clients: ClientFactory;
  logger: Logger;
  /** Called before handlers run when an event changes what an installation's tokens may reach. */
  invalidate?: (installationId: number) => Promise<void>;
}

interface Shared {
  event: { id: string; name: string; payload: unknown };
  octokit: () => Octokit;
  log: Logger;
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

function describe(delivery: Delivery) {
  const payload = delivery.payload as {
    action?: unknown;
    installation?: { id?: unknown };
    repository?: { full_name?: unknown };
  };
  const action = typeof payload.action === "string" ? payload.action : undefined;
  const installation =
    typeof payload.installation?.id === "number" ? payload.installation.id : undefined;
  const repo =
    typeof payload.repository?.full_name === "string" ? payload.repository.full_name : undefined;
  return { event: action ? `${delivery.name}.${action}` : delivery.name, installation, repo };
}

export function createEventRouter(options: EventRouterOptions): EventRouter {
  const shared = new WeakMap<object, Shared>();
  const handlers = createEventHandler({
    // The library calls transform once per handler; one delivery shares one client.
    transform: (event: object) => shared.get(event)!,
    log: {
      debug() {},
      info() {},
      warn: (message: string) => options.logger.warn(message),
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
    return async ({ event, octokit, log }: Shared) => {
      const pluginLog = log.child({ plugin });
      const context = new Context({ event: event as never, octokit, log: pluginLog });
      try {
        await handler(context as never);
      } catch (error) {
        pluginLog.error({ err: error }, "handler failed");
        // The library tags each failure with Object.assign(error, { event }), which throws on
        // `throw undefined` and would settle the delivery before the other handlers finish.
        throw typeof error === "object" && error !== null
          ? error
          : new Error(`handler threw ${String(error)}`, { cause: error });
      }
    };
  }

  return {
    appFor(plugin) {
      const log = options.logger.child({ plugin });
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
              log.error({ err: failure, delivery: error.event.id }, "onError handler failed");
            }
          }),
        auth: async (installationId?: number, scope?: TokenScope) =>
          installationId === undefined
            ? options.clients.forApp({ log })
            : options.clients.forInstallation(installationId, { scope, log }),
      };
      return app as unknown as App;
    },
    async dispatch(delivery) {
      const { event, installation, repo } = describe(delivery);
      const log = options.logger.child({ delivery: delivery.id, event, installation, repo });
      if (installation !== undefined && options.invalidate && ACCESS_CHANGES.has(event)) {
        await options.invalidate(installation);
      }
      let client: Octokit | undefined;
      const octokit = () =>
        (client ??=
          installation === undefined
            ? options.clients.forApp({ deliveryId: delivery.id, log })
            : options.clients.forInstallation(installation, { deliveryId: delivery.id, log }));
      const webhookEvent = { id: delivery.id, name: delivery.name, payload: delivery.payload };
      shared.set(webhookEvent, { event: webhookEvent, octokit, log });
      await handlers.receive(webhookEvent);
    },
  };
}
