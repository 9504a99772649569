import type { KeyObject } from "node:crypto";
import type { Server } from "node:http";
import type { AddressInfo } from "node:net";
import type { Express, Router } from "express";
import type { Logger } from "pino";
import type { AppAuth } from "../auth/create-app-auth.js";
import type { TokenStore } from "../auth/token-store.js";
import type { Clock } from "../clock.js";
import type { DeliveryEvents } from "../events/delivery-events.js";
import type { ClientFactory } from "../github/create-client-factory.js";
import type { RequestLimits } from "../request-limits.js";
import type { Scheduler } from "../scheduler/scheduler.js";
import type { Schedules } from "../schedules/create-schedules.js";
import type { ScheduleDeps } from "../schedules/run-scheduled.js";
import type { ScheduleRuntime } from "../schedules/schedule-runtime.js";
import type { Timers } from "../schedules/timers.js";
import type { Readiness } from "../server/create-server.js";
import type { MetricsAccess } from "../server/metrics-route.js";
import type { HttpLimits } from "../server/server-limits.js";
import type { AckedFailures } from "../webhooks/acked-failures.js";
import type { WebhookReceiver } from "../webhooks/create-webhook-receiver.js";
import type { DeliveryRecords } from "../webhooks/delivery-records.js";
import type { Delivery } from "../webhooks/parse-delivery.js";
import type { Plugin } from "./app.js";
import type { DeliveryRunner } from "./run-delivery.js";

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
  /** METRICS_PORT (on `listen`'s host), METRICS_TOKEN, METRICS_TOP_INSTALLATIONS. */
  metrics?: MetricsAccess & { topInstallations?: number };
  /** How accepted deliveries run: inline by default; `createQueueScheduler` with REDIS_URL. */
  scheduler?: (parts: SchedulerParts) => Scheduler;
  /** What fires `app.schedule` ticks: timers in this process by default; BullMQ with REDIS_URL. */
  schedules?: (deps: ScheduleDeps) => ScheduleRuntime;
  dependencies?: {
    logger?: Logger;
    fetch?: typeof fetch;
    clock?: Clock;
    /** Every delivery event goes here; metrics and the console subscribe. */
    events?: DeliveryEvents;
    /** The timers schedules fire from (a manual one in tests). */
    timers?: Timers;
    /** Where schedule jitter comes from (Math.random by default). */
    random?: () => number;
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
  /** The plugins' `app.schedule`s; `schedules.start()` arms them once the plugins have loaded. */
  readonly schedules: Schedules;
  /** The Express app: mount it, or `listen()`. */
  readonly express: Express;
  /** An Express router mounted at `path`, ahead of the 404 answer (what plugins get too). */
  getRouter(path?: string): Router;
  load(plugin: Plugin, name?: string): Promise<void>;
  /** Runs the handlers for an already verified delivery (what the runner and workers call). */
  dispatch(delivery: Delivery): Promise<void>;
  /** Also starts the metrics port, when one is configured. */
  listen(port: number, host?: string): Promise<Server>;
  /** Where `/metrics` listens when it has its own port, once listening. */
  metricsAddress(): AddressInfo | undefined;
  /** Starts only the metrics port, if one is configured (a worker serves no webhooks). */
  serveMetrics(host?: string): Promise<AddressInfo | undefined>;
  /**
   * Stops taking deliveries, lets running ones finish for up to `drainMs`, hands back the
   * rest; true when none had to be handed back.
   */
  close(drainMs?: number): Promise<boolean>;
  readiness(): Readiness;
}
