import { AsyncLocalStorage } from "node:async_hooks";
import type { KeyObject } from "node:crypto";
import type { Server } from "node:http";
import type { Express, Router } from "express";
import type { Logger } from "pino";
import { createAppAuth, type AppAuth } from "../auth/create-app-auth.js";
import type { TokenStore } from "../auth/token-store.js";
import type { Clock } from "../clock.js";
import type { RequestLimits } from "../request-limits.js";
import { HookwrightError } from "../errors.js";
import { createDeliveryEvents, type DeliveryEvents } from "../events/delivery-events.js";
import { observeFetch } from "../events/observe-fetch.js";
import { createClientFactory, type ClientFactory } from "../github/create-client-factory.js";
import { createLogger } from "../logging/create-logger.js";
import { createInlineScheduler } from "../scheduler/inline-scheduler.js";
import type { Scheduler } from "../scheduler/scheduler.js";
import { createMetrics } from "../server/create-metrics.js";
import { createServer, type Readiness } from "../server/create-server.js";
import { listen, type Listening } from "../server/listen.js";
import type { HttpLimits } from "../server/server-limits.js";
import type { AckedFailures } from "../webhooks/acked-failures.js";
import {
  createWebhookReceiver,
  type WebhookReceiver,
} from "../webhooks/create-webhook-receiver.js";
import { createMemoryDeliveryRecords, type DeliveryRecords } from "../webhooks/delivery-records.js";
import type { Delivery } from "../webhooks/parse-delivery.js";
import type { Plugin } from "./app.js";
import { createEventRouter } from "./create-event-router.js";
import { createDeliveryRunner, type DeliveryRunner } from "./run-delivery.js";

/** What the app is: GitHub's ids and secrets for it. */
export interface Credentials {
  appId: string;
  privateKey: KeyObject;
  /** The current secret first; more are accepted while rotating. */
  webhookSecrets: readonly string[];
}

/** Where state lives: in this process by default, in Redis with REDIS_URL. */
export interface Stores {
  tokens?: TokenStore;
  deliveries?: DeliveryRecords;
  /** Where failures after a 202, and deliveries handed back at a drain, are noted for `redeliver`. */
  ackedFailures?: AckedFailures;
  /** False while a shared store is unreachable: `/ready` answers 503 then. */
  ready?: () => boolean;
}

/** What a scheduler is built from; the inline one is the default. */
export interface SchedulerParts {
  runner: DeliveryRunner;
  records: DeliveryRecords;
  logger: Logger;
  deadlineMs: number;
  ackedFailures?: AckedFailures;
}

export interface CreateAppOptions {
  credentials: Credentials;
  github?: {
    apiUrl?: string;
    tokenRefreshMarginS?: number;
    /** Timeout of every call to GitHub and budget of its retries (DEFAULT_REQUEST_LIMITS). */
    requestLimits?: Partial<RequestLimits>;
  };
  webhooks?: {
    path?: string;
    /** How long a delivery may run inline before it is answered 202 and goes on. */
    deadlineMs?: number;
  };
  stores?: Stores;
  /** Body budget, timeouts and connection cap (README, Configuration); defaults for the rest. */
  http?: Partial<HttpLimits>;
  /** How accepted deliveries run: inline by default; `createQueueScheduler` with REDIS_URL. */
  scheduler?: (parts: SchedulerParts) => Scheduler;
  dependencies?: {
    logger?: Logger;
    fetch?: typeof fetch;
    clock?: Clock;
    /** Every delivery event goes here; metrics and the console subscribe. */
    events?: DeliveryEvents;
    /** Scale of retry waits (ms per retry-after second). */
    retryBaseMs?: number;
  };
  cwd?: string;
}

/** A running Hookwright: plugins loaded into it, deliveries received through its Express app. */
export interface Hookwright {
  readonly log: Logger;
  readonly auth: AppAuth;
  readonly clients: ClientFactory;
  readonly receiver: WebhookReceiver;
  readonly events: DeliveryEvents;
  readonly scheduler: Scheduler;
  readonly runner: DeliveryRunner;
  readonly records: DeliveryRecords;
  /** The Express app: mount it, or `listen()`. */
  readonly express: Express;
  /** An Express router mounted at `path`, ahead of the 404 answer (what plugins get too). */
  getRouter(path?: string): Router;
  load(plugin: Plugin, name?: string): Promise<void>;
  /** Runs the handlers for an already verified delivery (what the runner and workers call). */
  dispatch(delivery: Delivery): Promise<void>;
  listen(port: number, host?: string): Promise<Server>;
  /**
   * Stops taking deliveries, lets running ones finish for up to `drainMs`, hands back the
   * rest; true when none had to be handed back.
   */
  close(drainMs?: number): Promise<boolean>;
  readiness(): Readiness;
}

/**
 * Builds the framework without starting anything: auth, clients, the event router, the
 * delivery runner and scheduler, the webhook receiver and HTTP app. I/O happens in `load`
 * and `listen`. A delivery goes receiver → scheduler → runner → router → plugins.
 *
 * @example
 * const hookwright = createApp({ credentials: { appId, privateKey, webhookSecrets: [secret] } });
 * await hookwright.load(myPlugin, "my-plugin");
 * await hookwright.listen(3000);
 */
export function createApp(options: CreateAppOptions): Hookwright {
  const { credentials, stores = {}, dependencies = {} } = options;
  const log = dependencies.logger ?? createLogger({ secrets: credentials.webhookSecrets });
  const apiUrl = (options.github?.apiUrl ?? "https://api.github.com").replace(/\/+$/, "");
  const events = dependencies.events ?? createDeliveryEvents();
  const current = new AsyncLocalStorage<string>();
  const pluginScope = new AsyncLocalStorage<string>();
  const fetch = observeFetch(
    dependencies.fetch ?? ((...args) => globalThis.fetch(...args)),
    apiUrl,
    current,
    events,
    pluginScope,
  );
  const auth = createAppAuth({
    appId: credentials.appId,
    privateKey: credentials.privateKey,
    apiUrl,
    fetch,
    clock: dependencies.clock,
    store: stores.tokens,
    refreshMarginS: options.github?.tokenRefreshMarginS,
    requestLimits: options.github?.requestLimits,
  });
  const clients = createClientFactory({
    appAuth: auth,
    logger: log,
    fetch,
    retryBaseMs: dependencies.retryBaseMs,
    requestLimits: options.github?.requestLimits,
  });
  const router = createEventRouter({
    clients,
    logger: log,
    invalidate: (id) => auth.invalidate(id),
    events,
    pluginScope,
  });
  const records = stores.deliveries ?? createMemoryDeliveryRecords({ clock: dependencies.clock });
  const runner = createDeliveryRunner({
    dispatch: (delivery) => router.dispatch(delivery),
    records,
    events,
    logger: log,
    clock: dependencies.clock,
    ackedFailures: stores.ackedFailures,
    current,
  });
  const parts: SchedulerParts = {
    runner,
    records,
    logger: log,
    deadlineMs: options.webhooks?.deadlineMs ?? 9000,
    ackedFailures: stores.ackedFailures,
  };
  const scheduler = (options.scheduler ?? defaultScheduler)(parts);
  let state: Readiness = "starting";
  const readiness = (): Readiness =>
    state === "ready" && stores.ready && !stores.ready() ? "unavailable" : state;
  const receiver = createWebhookReceiver({
    secrets: credentials.webhookSecrets,
    events,
    scheduler: {
      ...scheduler,
      // Once draining, a delivery is refused so GitHub keeps it: nothing new starts here.
      schedule: (delivery) =>
        state === "draining"
          ? Promise.reject(
              new HookwrightError("SERVICE_UNAVAILABLE", "the server is shutting down"),
            )
          : scheduler.schedule(delivery),
    },
  });
  const metrics = createMetrics({ events, inFlight: () => scheduler.inFlight() });
  const http = createServer({
    receiver,
    webhookPath: options.webhooks?.path ?? "/api/github/webhooks",
    logger: log,
    readiness,
    metrics,
    bodyBudgetBytes: options.http?.bodyBudgetBytes,
    clock: dependencies.clock,
  });
  let listening: Listening | undefined;

  return {
    log,
    auth,
    clients,
    receiver,
    events,
    scheduler,
    runner,
    records,
    express: http.app,
    getRouter: http.getRouter,
    readiness,
    async load(plugin, name = plugin.name || "anonymous") {
      await plugin(router.appFor(name), {
        cwd: options.cwd ?? process.cwd(),
        getRouter: http.getRouter,
      });
    },
    dispatch: (delivery) => router.dispatch(delivery),
    async listen(port, host) {
      listening = await listen(http.app, {
        port,
        host,
        logger: log,
        draining: () => state === "draining",
        limits: options.http,
      });
      state = "ready";
      return listening.server;
    },
    async close(drainMs = 8000) {
      state = "draining";
      const serving = listening;
      listening = undefined;
      serving?.stopAccepting();
      const handedBack = await scheduler.drain(drainMs);
      // Deliveries that just finished are still writing their answers; wait for them, not longer.
      await serving?.close(Math.min(drainMs, 1000));
      metrics.close();
      return handedBack.length === 0;
    },
  };
}

function defaultScheduler(parts: SchedulerParts): Scheduler {
  return createInlineScheduler({
    runner: parts.runner,
    records: parts.records,
    logger: parts.logger,
    deadlineMs: parts.deadlineMs,
    journal: parts.ackedFailures,
  });
}
