import type { KeyObject } from "node:crypto";
import { createServer as createHttpServer, type Server, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";
import type { Express, Router } from "express";
import type { Logger } from "pino";
import { createAppAuth, type AppAuth } from "../auth/create-app-auth.js";
import type { TokenStore } from "../auth/token-store.js";
import type { Clock } from "../clock.js";
import { createClientFactory, type ClientFactory } from "../github/create-client-factory.js";
import { createLogger } from "../logging/create-logger.js";
import { createMetrics } from "../server/create-metrics.js";
import { createServer, type Readiness } from "../server/create-server.js";
import { createEventRouter } from "./create-event-router.js";
import {
  createWebhookReceiver,
  type WebhookReceiver,
} from "../webhooks/create-webhook-receiver.js";
import { createMemoryDeliveryRecords, type DeliveryRecords } from "../webhooks/delivery-records.js";
import type { Delivery } from "../webhooks/parse-delivery.js";
import type { AckedFailures } from "../webhooks/acked-failures.js";
import type { Plugin } from "./app.js";
import { observeDeliveries, type DeliveryObserver } from "./observe-deliveries.js";
import { withProbotOptions } from "./probot-members.js";

export interface CreateAppOptions {
  appId: string;
  privateKey: KeyObject;
  /** The current secret first; more are accepted while rotating. */
  webhookSecrets: readonly string[];
  apiUrl?: string;
  webhookPath?: string;
  /** How long a delivery may run before it is answered 202 and goes on in the background. */
  deadlineMs?: number;
  tokenRefreshMarginS?: number;
  logger?: Logger;
  fetch?: typeof fetch;
  clock?: Clock;
  tokenStore?: TokenStore;
  deliveryRecords?: DeliveryRecords;
  /** Scale of retry waits (ms per retry-after second); tests pass 1. */
  retryBaseMs?: number;
  cwd?: string;
  /** Told about every delivery, its plugins and its API calls (the delivery console). */
  observer?: DeliveryObserver;
  /** Where failures after a 202 are noted for `redeliver` (`hookwright run` always passes one). */
  ackedFailures?: AckedFailures;
  /** False while a shared store (REDIS_URL) is unreachable: `/ready` answers 503 then. */
  storesReady?: () => boolean;
}

/** A running Hookwright: plugins loaded into it, deliveries received through its Express app. */
export interface Hookwright {
  readonly log: Logger;
  readonly auth: AppAuth;
  readonly clients: ClientFactory;
  readonly receiver: WebhookReceiver;
  /** The Express app: mount it, or `listen()`. */
  readonly express: Express;
  /** An Express router mounted at `path`, ahead of the 404 answer (what plugins get too). */
  getRouter(path?: string): Router;
  load(plugin: Plugin, name?: string): Promise<void>;
  /** Runs the handlers for an already verified delivery (the path every webhook takes). */
  dispatch(delivery: Delivery): Promise<void>;
  listen(port: number, host?: string): Promise<Server>;
  /** Stops taking deliveries, lets running ones finish for up to `drainMs`; true when all did. */
  close(drainMs?: number): Promise<boolean>;
  readiness(): Readiness;
}

/**
 * Builds the framework without starting anything: auth, clients, event router, webhook
 * receiver and HTTP server. I/O happens in `load` and `listen`.
 *
 * @example
 * const hookwright = createApp({ appId, privateKey, webhookSecrets: [secret] });
 * await hookwright.load(myPlugin, "my-plugin");
 * await hookwright.listen(3000);
 */
export function createApp(options: CreateAppOptions): Hookwright {
  const log = options.logger ?? createLogger({ secrets: options.webhookSecrets });
  const apiUrl = (options.apiUrl ?? "https://api.github.com").replace(/\/+$/, "");
  const observation = observeDeliveries(options.observer, apiUrl, options.fetch);
  const fetch = observation.fetch;
  const auth = createAppAuth({
    appId: options.appId,
    privateKey: options.privateKey,
    apiUrl,
    fetch,
    clock: options.clock,
    store: options.tokenStore,
    refreshMarginS: options.tokenRefreshMarginS,
  });
  const clients = createClientFactory({
    appAuth: auth,
    logger: log,
    fetch,
    retryBaseMs: options.retryBaseMs,
  });
  const router = createEventRouter({
    clients,
    logger: log,
    invalidate: (id) => auth.invalidate(id),
  });
  const metrics = createMetrics({ inFlight: () => inner.inFlight() });
  const dispatch = observation.dispatch(
    metrics.timed((delivery: Delivery) => router.dispatch(delivery)),
  );
  const inner = createWebhookReceiver({
    secrets: options.webhookSecrets,
    records: options.deliveryRecords ?? createMemoryDeliveryRecords(),
    dispatch,
    logger: log,
    deadlineMs: options.deadlineMs ?? 9000,
    ackedFailures: options.ackedFailures,
  });
  const receiver = observation.receiver(inner);
  let state: Readiness = "starting";
  const readiness = (): Readiness =>
    state === "ready" && options.storesReady && !options.storesReady() ? "unavailable" : state;
  const http = createServer({
    receiver,
    webhookPath: options.webhookPath ?? "/api/github/webhooks",
    logger: log,
    readiness,
    metrics,
  });
  let server: Server | undefined;
  const answering = new Set<ServerResponse>();

  return {
    log,
    auth,
    clients,
    receiver,
    express: http.app,
    getRouter: http.getRouter,
    readiness,
    async load(plugin, name = plugin.name || "anonymous") {
      const pluginOptions = withProbotOptions({
        cwd: options.cwd ?? process.cwd(),
        getRouter: http.getRouter,
      });
      await plugin(observation.app(router.appFor(name, pluginOptions), name), pluginOptions);
    },
    dispatch,
    listen(port, host) {
      return new Promise((resolve, reject) => {
        const listening = createHttpServer();
        // Registered before the app, so even an answer sent at once sees the header.
        listening.on("request", (_req, res: ServerResponse) => {
          if (state === "draining") res.setHeader("connection", "close");
          answering.add(res);
          res.on("close", () => answering.delete(res));
        });
        listening.on("request", http.app);
        listening.once("error", reject);
        listening.listen(port, host, () => {
          server = listening;
          state = "ready";
          const address = listening.address() as AddressInfo;
          log.info({ port: address.port, host: address.address }, "listening");
          resolve(listening);
        });
      });
    },
    async close(drainMs = 8000) {
      state = "draining";
      const running = server;
      server = undefined;
      if (!running) return receiver.drain(drainMs);
      // Answers still to come close their connection: a keep-alive socket going idle after
      // close() would otherwise hold the server open until its timeout.
      for (const res of answering) if (!res.headersSent) res.setHeader("connection", "close");
      const closed = new Promise<void>((resolve) => running.close(() => resolve()));
      let timer: NodeJS.Timeout | undefined;
      const deadline = new Promise<void>((resolve) => {
        timer = setTimeout(resolve, drainMs);
      });
      const drained = await receiver.drain(drainMs);
      // Deliveries that just finished are still writing their answers; wait for them, not longer.
      await Promise.race([closed, deadline]);
      clearTimeout(timer);
      running.closeAllConnections();
      await closed;
      return drained && receiver.inFlight() === 0;
    },
  };
}
