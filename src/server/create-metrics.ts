import type { Registry } from "prom-client";
import type { DeliveryEvent, DeliveryEvents } from "../events/delivery-events.js";
import type { QueueStats } from "../scheduler/scheduler.js";
import type { ScheduleStatus } from "../schedules/schedule-types.js";
import { createCounts, createSamples } from "./metric-counts.js";
import { registerMetrics, type MetricSources } from "./register-metrics.js";
import { registerScheduleGauges } from "./schedule-gauges.js";
import { createTopInstallations } from "./top-installations.js";

export type HandlerOutcome = "completed" | "failed" | "handed-back";

/** What `GET /metrics` reports: counted from the delivery events, rendered by prom-client. */
export interface Metrics {
  /** Prometheus's text format. */
  render(): Promise<{ contentType: string; text: string }>;
  /** Stops counting (the subscription to the events ends). */
  close(): void;
}

export interface MetricsOptions {
  events: DeliveryEvents;
  inFlight: () => number;
  /** Each `app.schedule`'s last and next tick. */
  schedules?: () => Promise<ScheduleStatus[]>;
  /** Request body bytes held now, and the budget they may fill (body-budget.ts). */
  bodyBudget?: { inUse(): number; readonly maxBytes: number };
  /** The queue's depth, read only when scraped. */
  queueStats?: () => Promise<QueueStats>;
  /** Installations given their own label on the rate-limit gauge; the rest are "other". */
  topInstallations?: number;
}

/** Observations kept while nobody scrapes; past this they are counted as dropped. */
const MAX_PENDING = 100_000;
export const DEFAULT_TOP_INSTALLATIONS = 20;

const METHODS = new Set(["GET", "HEAD", "POST", "PUT", "PATCH", "DELETE", "OPTIONS"]);

/** `error` when no answer came (network failure, timeout): status 0. */
export function statusClass(status: number): string {
  if (status <= 0) return "error";
  return `${Math.min(5, Math.max(1, Math.floor(status / 100)))}xx`;
}

/**
 * Counts go into plain maps on the hot path; prom-client (60–100 ms to import) is loaded on
 * the first scrape, and each scrape moves what was counted since into its metrics. So a
 * server nobody scrapes never loads it, and none of it is paid at start. What is a level
 * rather than a count (in flight, body bytes, the queue) is read at scrape time only.
 */
export function createMetrics(options: MetricsOptions): Metrics {
  const sources: MetricSources = {
    answers: createCounts(),
    handled: createSamples(MAX_PENDING),
    dead: createCounts(),
    refused: createCounts(),
    tokenHits: createCounts(),
    tokenMisses: createCounts(),
    tokenExchanges: createCounts(),
    apiCalls: createCounts(),
    apiTimes: createSamples(MAX_PENDING),
    rateLimits: createTopInstallations(options.topInstallations ?? DEFAULT_TOP_INSTALLATIONS),
    inFlight: options.inFlight,
    bodyBudget: options.bodyBudget,
    queueStats: options.queueStats,
    maxPending: MAX_PENDING,
  };
  // The installation of each delivery running here, for its API calls' rate-limit headers.
  const installations = new Map<string, number>();
  let registry: Promise<Registry> | undefined;

  const count = (event: DeliveryEvent) => {
    if (event.type === "answered") {
      sources.answers.add(
        event.request.delivery?.name ?? "unverified",
        String(event.request.status),
      );
    } else if (event.type === "finished") {
      sources.handled.push({
        event: event.delivery.name,
        outcome: event.outcome,
        seconds: event.seconds,
      });
    } else if (event.type === "dead") {
      sources.dead.add();
    }
  };
  // What happened in this process only: a worker elsewhere counts its own calls and tokens.
  const countLocal = (event: DeliveryEvent) => {
    if (event.type === "api-call") {
      const { call } = event;
      const method = METHODS.has(call.method) ? call.method : "OTHER";
      const status = statusClass(call.status);
      sources.apiCalls.add(method, status);
      sources.apiTimes.push({ method, status, seconds: call.seconds });
      const installation = event.id === undefined ? undefined : installations.get(event.id);
      // `/app/…` calls are made with the app's JWT: their limit is the app's, not the
      // installation's. GraphQL and search have limits of their own: the gauge is REST's core.
      if (
        installation !== undefined &&
        call.rateLimitRemaining !== undefined &&
        (call.rateLimitResource ?? "core") === "core" &&
        !call.path.startsWith("/app/")
      ) {
        sources.rateLimits.note(installation, call.rateLimitRemaining);
      }
    } else if (event.type === "started") {
      if (event.delivery.installation !== undefined) {
        installations.set(event.delivery.id, event.delivery.installation);
      }
    } else if (event.type === "finished") {
      installations.delete(event.delivery.id);
    } else if (event.type === "refused") {
      sources.refused.add(event.code);
    } else if (event.type === "token") {
      (event.cache === "hit" ? sources.tokenHits : sources.tokenMisses).add();
    } else if (event.type === "token-exchange") {
      sources.tokenExchanges.add(event.outcome);
    }
  };
  const unsubscribe = [
    options.events.subscribe(count, ["answered", "finished", "dead"]),
    // The calls' delivery comes from their header; the ones without it (`/app/…`) are not
    // counted against an installation, and no metric is labelled by plugin.
    options.events.subscribe(
      countLocal,
      ["api-call", "started", "finished", "refused", "token", "token-exchange"],
      { relayed: false, attribution: false },
    ),
  ];

  async function build(): Promise<Registry> {
    const client = await import("prom-client");
    const created = new client.Registry();
    client.collectDefaultMetrics({ register: created });
    registerMetrics(client, created, sources);
    registerScheduleGauges(client, created, options.schedules);
    return created;
  }

  return {
    close: () => unsubscribe.forEach((each) => each()),
    async render() {
      // A failed import is tried again on the next scrape.
      registry ??= build().catch((error: unknown) => {
        registry = undefined;
        throw error;
      });
      const ready = await registry;
      return { contentType: ready.contentType, text: await ready.metrics() };
    },
  };
}
