import type * as PromClientModule from "prom-client";
import type { Registry } from "prom-client";
import type { QueueStats } from "../scheduler/scheduler.js";
import type { Counts, Samples } from "./metric-counts.js";
import type { TopInstallations } from "./top-installations.js";

type PromClient = typeof PromClientModule;

/** What the metrics are made from: counts moved at each scrape, levels read at it. */
export interface MetricSources {
  answers: Counts;
  handled: Samples<{ event: string; outcome: string; seconds: number }>;
  dead: Counts;
  refused: Counts;
  tokenHits: Counts;
  tokenMisses: Counts;
  tokenExchanges: Counts;
  apiCalls: Counts;
  apiTimes: Samples<{ method: string; status: string; seconds: number }>;
  rateLimits: TopInstallations;
  inFlight: () => number;
  bodyBudget?: { inUse(): number; readonly maxBytes: number };
  queueStats?: () => Promise<QueueStats>;
  maxPending: number;
}

const HANDLER_BUCKETS = [0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 9, 30, 60, 300];
// GitHub answers most calls within a second and ends a request at 10 s.
const API_BUCKETS = [0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30];
const QUEUE_STATES = ["waiting", "active", "delayed", "failed"] as const;

/** Registers every hookwright_ metric (README, "HTTP endpoints", lists them). */
export function registerMetrics(client: PromClient, registry: Registry, sources: MetricSources) {
  const registers = [registry];
  const counter = (name: string, help: string, labelNames: string[], counts: Counts) =>
    new client.Counter({
      name,
      help,
      labelNames,
      registers,
      collect() {
        for (const [values, count] of counts.drain()) {
          this.inc(Object.fromEntries(labelNames.map((label, i) => [label, values[i]!])), count);
        }
      },
    });
  let handlerDropped = 0;
  let apiDropped = 0;

  counter(
    "hookwright_deliveries_total",
    "Webhook requests answered, by event (unverified: not a verified delivery) and HTTP status",
    ["event", "status"],
    sources.answers,
  );
  new client.Histogram({
    name: "hookwright_handler_duration_seconds",
    help: "Time from a delivery's handlers starting to all of them finishing, by event and outcome",
    labelNames: ["event", "outcome"],
    buckets: HANDLER_BUCKETS,
    registers,
    collect() {
      const { samples, dropped } = sources.handled.drain();
      for (const { event, outcome, seconds } of samples) this.observe({ event, outcome }, seconds);
      handlerDropped += dropped;
    },
  });
  new client.Counter({
    name: "hookwright_handler_durations_dropped_total",
    help: `Handler times not kept because more than ${sources.maxPending} waited for a scrape`,
    registers,
    collect() {
      this.inc(handlerDropped);
      handlerDropped = 0;
    },
  });
  counter(
    "hookwright_deliveries_dead_total",
    "Queued deliveries whose attempts ran out; they wait in the failed set (hookwright jobs failed)",
    [],
    sources.dead,
  );
  new client.Gauge({
    name: "hookwright_deliveries_in_flight",
    help: "Deliveries whose handlers are running now",
    registers,
    collect() {
      this.set(sources.inFlight());
    },
  });
  counter(
    "hookwright_requests_refused_total",
    "Webhook requests refused, by reason (the error code of the answer)",
    ["reason"],
    sources.refused,
  );
  counter(
    "hookwright_token_cache_hits_total",
    "Installation tokens served from the token cache",
    [],
    sources.tokenHits,
  );
  counter(
    "hookwright_token_cache_misses_total",
    "Installation tokens not in the cache (an exchange was made or joined)",
    [],
    sources.tokenMisses,
  );
  counter(
    "hookwright_token_exchanges_total",
    "Installation token exchanges with GitHub, by outcome (success, or the error code)",
    ["outcome"],
    sources.tokenExchanges,
  );
  counter(
    "hookwright_github_requests_total",
    "Calls to GitHub's API, by method and status class (2xx, 3xx, 4xx, 5xx; error: no answer)",
    ["method", "status_class"],
    sources.apiCalls,
  );
  new client.Histogram({
    name: "hookwright_github_request_duration_seconds",
    help: "Time from sending a call to GitHub to its answer's headers, by method and status class",
    labelNames: ["method", "status_class"],
    buckets: API_BUCKETS,
    registers,
    collect() {
      const { samples, dropped } = sources.apiTimes.drain();
      for (const { method, status, seconds } of samples) {
        this.observe({ method, status_class: status }, seconds);
      }
      apiDropped += dropped;
    },
  });
  new client.Counter({
    name: "hookwright_github_request_durations_dropped_total",
    help: `GitHub call times not kept because more than ${sources.maxPending} waited for a scrape`,
    registers,
    collect() {
      this.inc(apiDropped);
      apiDropped = 0;
    },
  });
  new client.Gauge({
    name: "hookwright_github_rate_limit_remaining",
    help: "x-ratelimit-remaining of the installation's last call since the previous scrape; the most active installations each, the lowest of the rest as other",
    labelNames: ["installation"],
    registers,
    collect() {
      this.reset();
      for (const { installation, remaining } of sources.rateLimits.report()) {
        this.set({ installation }, remaining);
      }
    },
  });
  if (sources.bodyBudget) registerBodyBudget(client, registers, sources.bodyBudget);
  if (sources.queueStats) registerQueue(client, registers, sources.queueStats);
}

function registerBodyBudget(
  client: PromClient,
  registers: Registry[],
  budget: NonNullable<MetricSources["bodyBudget"]>,
) {
  new client.Gauge({
    name: "hookwright_request_body_bytes_in_flight",
    help: "Bytes of webhook request bodies held now (being read and checked)",
    registers,
    collect() {
      this.set(budget.inUse());
    },
  });
  new client.Gauge({
    name: "hookwright_request_body_budget_bytes",
    help: "REQUEST_BODY_BUDGET_MIB in bytes: past it, requests are refused with SERVER_BUSY",
    registers,
    collect() {
      this.set(budget.maxBytes);
    },
  });
}

function registerQueue(client: PromClient, registers: Registry[], read: () => Promise<QueueStats>) {
  let reading: Promise<QueueStats | undefined> | undefined;
  const fresh = () => (reading = read().catch(() => undefined));
  // prom-client starts each metric's collect in registration order within one scrape: the
  // jobs gauge reads the queue once, the age gauge reuses that read.
  new client.Gauge({
    name: "hookwright_queue_jobs",
    help: "Jobs in the delivery queue by state (waiting, active, delayed, failed), read when scraped",
    labelNames: ["state"],
    registers,
    async collect() {
      const stats = await fresh();
      this.reset();
      if (stats) for (const state of QUEUE_STATES) this.set({ state }, stats[state]);
    },
  });
  new client.Gauge({
    name: "hookwright_queue_oldest_waiting_age_seconds",
    help: "Seconds since the oldest waiting job was queued (0: none waits; NaN: the queue could not be read)",
    registers,
    async collect() {
      const stats = await (reading ?? fresh());
      this.set(stats ? stats.oldestWaitingSeconds : NaN);
    },
  });
}
