import { AsyncLocalStorage } from "node:async_hooks";
import { createAppAuth } from "../auth/create-app-auth.js";
import { createCommandRegistry } from "../commands/command-registry.js";
import { HookwrightError } from "../errors.js";
import { createDeliveryEvents } from "../events/delivery-events.js";
import { observeFetch } from "../events/observe-fetch.js";
import { observeTokens } from "../events/observe-tokens.js";
import { createClientFactory } from "../github/create-client-factory.js";
import { createLogger } from "../logging/create-logger.js";
import { createSchedules } from "../schedules/create-schedules.js";
import { createInlineScheduler } from "../scheduler/inline-scheduler.js";
import type { Scheduler } from "../scheduler/scheduler.js";
import { logDeliveries } from "../logging/log-deliveries.js";
import { createBodyBudget } from "../server/body-budget.js";
import { createMetrics } from "../server/create-metrics.js";
import { createServer, type Readiness } from "../server/create-server.js";
import { listen, type Listening } from "../server/listen.js";
import { listenMetrics, type MetricsListening } from "../server/metrics-route.js";
import { DEFAULT_HTTP_LIMITS } from "../server/server-limits.js";
import { createWebhookReceiver } from "../webhooks/create-webhook-receiver.js";
import { createMemoryDeliveryRecords } from "../webhooks/delivery-records.js";
import type { CreateAppOptions, Hookwright, SchedulerParts } from "./app-options.js";
import { createEventRouter } from "./create-event-router.js";
import { withProbotOptions } from "./probot-members.js";
import { createDeliveryRunner } from "./run-delivery.js";

export type {
  CreateAppOptions,
  Credentials,
  Hookwright,
  SchedulerParts,
  Stores,
} from "./app-options.js";

const DEFAULT_BODY_BUDGET = DEFAULT_HTTP_LIMITS.bodyBudgetBytes;

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
    { pluginScope },
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
    observe: observeTokens(events),
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
  // `/help` is answered once per comment, by an App of its own, whichever plugins have commands.
  const commands = createCommandRegistry({ helpApp: () => router.appFor("hookwright-commands") });
  const schedules = createSchedules({
    runtime: options.schedules,
    deps: { clients, logger: log, random: dependencies.random },
    clock: dependencies.clock,
    timers: dependencies.timers,
    eventsApp: () => router.appFor("hookwright-schedules"),
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
  const bodyBudget = createBodyBudget(options.http?.bodyBudgetBytes ?? DEFAULT_BODY_BUDGET);
  const metrics = createMetrics({
    events,
    inFlight: () => scheduler.inFlight(),
    bodyBudget,
    queueStats: scheduler.stats && (() => scheduler.stats!()),
    topInstallations: options.metrics?.topInstallations,
    schedules: () => schedules.status(),
  });
  const stopLogging = logDeliveries(events, log);
  const http = createServer({
    receiver,
    webhookPath: options.webhooks?.path ?? "/api/github/webhooks",
    logger: log,
    readiness,
    metrics,
    metricsAccess: options.metrics,
    events,
    bodyBudget,
    clock: dependencies.clock,
  });
  let listening: Listening | undefined;
  let metricsListening: MetricsListening | undefined;
  const serveMetrics = async (host: string | undefined) => {
    metricsListening ??= await listenMetrics(metrics, options.metrics, host, log);
    return metricsListening?.address;
  };

  return {
    log,
    auth,
    clients,
    receiver,
    events,
    scheduler,
    runner,
    records,
    schedules,
    express: http.app,
    getRouter: http.getRouter,
    readiness,
    async load(plugin, name = plugin.name || "anonymous") {
      const pluginOptions = withProbotOptions({
        cwd: options.cwd ?? process.cwd(),
        getRouter: http.getRouter,
      });
      const app = router.appFor(name, pluginOptions);
      Object.assign(app, {
        command: commands.forPlugin(name, app),
        schedule: schedules.forPlugin(name),
      });
      await plugin(app, pluginOptions);
    },
    dispatch: (delivery) => router.dispatch(delivery),
    metricsAddress: () => metricsListening?.address,
    serveMetrics,
    async listen(port, host) {
      await serveMetrics(host);
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
      await schedules.stop();
      const serving = listening;
      listening = undefined;
      serving?.stopAccepting();
      const handedBack = await scheduler.drain(drainMs);
      // Deliveries that just finished are still writing their answers; wait for them, not longer.
      await serving?.close(Math.min(drainMs, 1000));
      await metricsListening?.close();
      metricsListening = undefined;
      metrics.close();
      stopLogging();
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
