import type { Logger } from "pino";
import type { DeliveryEvent, DeliveryEvents, DeliverySummary } from "../events/delivery-events.js";

/**
 * The fields every line about a delivery carries (README, "Logs and secrets"), so one query
 * finds them all whichever part of Hookwright wrote the line.
 */
export function deliveryFields(delivery: DeliverySummary) {
  return {
    deliveryId: delivery.id,
    event: delivery.event,
    action: delivery.action,
    installationId: delivery.installation,
    repo: delivery.repo,
  };
}

/**
 * One info line when a delivery run in this process finishes: its event, the plugins whose
 * handlers ran, how it ended (`status`) and how long its handlers took. Relayed events are
 * not logged: the worker that ran the delivery wrote the line in its own log.
 */
export function logDeliveries(events: DeliveryEvents, logger: Logger): () => void {
  // Emptied when each delivery finishes, so it holds only the deliveries running now.
  const plugins = new Map<string, string[]>();
  const listen = (event: DeliveryEvent) => {
    if (event.type === "plugin") {
      if (event.outcome !== "started") return;
      const ran = plugins.get(event.id);
      if (ran === undefined) plugins.set(event.id, [event.plugin]);
      else if (!ran.includes(event.plugin)) ran.push(event.plugin);
    } else if (event.type === "finished") {
      const ran = plugins.get(event.delivery.id) ?? [];
      plugins.delete(event.delivery.id);
      if (!logger.isLevelEnabled("info")) return;
      logger.info(
        {
          ...deliveryFields(event.delivery),
          plugins: ran,
          status: event.outcome,
          durationMs: Math.round(event.seconds * 1e6) / 1000,
        },
        "delivery finished",
      );
    }
  };
  return events.subscribe(listen, ["plugin", "finished"], { relayed: false });
}
