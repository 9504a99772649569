import type * as PromClient from "prom-client";
import type { Registry } from "prom-client";
import type { DeliveryEvent, DeliveryEvents } from "../events/delivery-events.js";
import type { ScheduleStatus } from "../schedules/schedule-types.js";

export type HandlerOutcome = "completed" | "failed" | "handed-back";

/** What `GET /metrics` reports: counted from the delivery events, rendered by prom-client. */
export interface Metrics {
  /** Prometheus's text format. */
  render(): Promise<{ contentType: string; text: string }>;
  /** Stops counting (the subscription to the events ends). */
  close(): void;
}

/** Handler times kept while nobody scrapes; past this they are counted as dropped. */
const MAX_PENDING = 100_000;
/** Last and next tick per schedule, read from the runtime (Redis's when shared) at each scrape. */
function scheduleGauges(
  client: typeof PromClient,
  registers: Registry[],
  schedules: (() => Promise<ScheduleStatus[]>) | undefined,
): void {
  if (schedules === undefined) return;
  const gauge = (name: string, help: string, field: "lastRunAt" | "nextRunAt") =>
    new client.Gauge({
      name,
      help,
      labelNames: ["schedule"],
      registers,
      async collect() {
        this.reset();
        for (const status of await schedules()) {
          const at = status[field];
          if (at !== undefined) this.set({ schedule: status.id }, at / 1000);
        }
      },
    });
  gauge(
    "hookwright_schedule_last_run_timestamp_seconds",
    "When each schedule last ticked (Unix time), by plugin/name",
    "lastRunAt",
  );
  gauge(
    "hookwright_schedule_next_run_timestamp_seconds",
    "When each schedule ticks next (Unix time), by plugin/name",
    "nextRunAt",
  );
}

const DURATION_BUCKETS = [0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 9, 30, 60, 300];

/**
 * Counts go into plain maps on the hot path; prom-client (60–100 ms to import) is loaded on
 * the first scrape, and each scrape moves what was counted since into its metrics. So a
 * server nobody scrapes never loads it, and none of it is paid at start.
 */
export function createMetrics(options: {
  events: DeliveryEvents;
  inFlight: () => number;
  /** Each `app.schedule`'s last and next tick. */
  schedules?: () => Promise<ScheduleStatus[]>;
}): Metrics {
  const answers = new Map<string, number>();
  let dead = 0;
  let pending: { event: string; outcome: HandlerOutcome; seconds: number }[] = [];
  let dropped = 0;
  let registry: Promise<Registry> | undefined;

  async function build(): Promise<Registry> {
    const client = await import("prom-client");
    const registers = [new client.Registry()];
    client.collectDefaultMetrics({ register: registers[0] });
    new client.Counter({
      name: "hookwright_deliveries_total",
      help: "Webhook requests answered, by event (unverified: not a verified delivery) and HTTP status",
      labelNames: ["event", "status"],
      registers,
      collect() {
        for (const [key, count] of answers) {
          const [event = "", status = ""] = key.split("\n");
          this.inc({ event, status }, count);
        }
        answers.clear();
      },
    });
    new client.Histogram({
      name: "hookwright_handler_duration_seconds",
      help: "Time from a delivery's handlers starting to all of them finishing, by event and outcome",
      labelNames: ["event", "outcome"],
      buckets: DURATION_BUCKETS,
      registers,
      collect() {
        for (const { event, outcome, seconds } of pending)
          this.observe({ event, outcome }, seconds);
        pending = [];
      },
    });
    new client.Counter({
      name: "hookwright_handler_durations_dropped_total",
      help: `Handler times not kept because more than ${MAX_PENDING} waited for a scrape`,
      registers,
      collect() {
        this.inc(dropped);
        dropped = 0;
      },
    });
    new client.Counter({
      name: "hookwright_deliveries_dead_total",
      help: "Queued deliveries whose attempts ran out; they wait in the failed set (hookwright jobs failed)",
      registers,
      collect() {
        this.inc(dead);
        dead = 0;
      },
    });
    new client.Gauge({
      name: "hookwright_deliveries_in_flight",
      help: "Deliveries whose handlers are running now",
      registers,
      collect() {
        this.set(options.inFlight());
      },
    });
    scheduleGauges(client, registers, options.schedules);
    return registers[0]!;
  }

  const handled = (event: string, outcome: HandlerOutcome, seconds: number) => {
    if (pending.length >= MAX_PENDING) dropped += 1;
    else pending.push({ event, outcome, seconds });
  };
  const count = (event: DeliveryEvent) => {
    if (event.type === "answered") {
      const key = `${event.request.delivery?.name ?? "unverified"}\n${event.request.status}`;
      answers.set(key, (answers.get(key) ?? 0) + 1);
    } else if (event.type === "finished") {
      handled(event.delivery.name, event.outcome, event.seconds);
    } else if (event.type === "dead") {
      dead += 1;
    }
  };
  const unsubscribe = options.events.subscribe(count, ["answered", "finished", "dead"]);

  return {
    close: unsubscribe,
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
