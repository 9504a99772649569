import type * as PromClient from "prom-client";
import type { Registry } from "prom-client";
import type { ScheduleStatus } from "../schedules/schedule-types.js";

/** Last and next tick per schedule, read from the runtime (Redis's when shared) at each scrape. */
export function registerScheduleGauges(
  client: typeof PromClient,
  registry: Registry,
  schedules: (() => Promise<ScheduleStatus[]>) | undefined,
): void {
  if (schedules === undefined) return;
  const gauge = (name: string, help: string, field: "lastRunAt" | "nextRunAt") =>
    new client.Gauge({
      name,
      help,
      labelNames: ["schedule"],
      registers: [registry],
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
