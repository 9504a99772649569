import type { DeliverySummary } from "../events/delivery-events.js";
import type { Delivery } from "./parse-delivery.js";

/** The one place a delivery's event, installation and repository are read off its payload. */
export function describeDelivery(delivery: Delivery): DeliverySummary {
  const payload = delivery.payload as {
    action?: unknown;
    installation?: { id?: unknown };
    repository?: { full_name?: unknown };
  };
  const action = typeof payload.action === "string" ? payload.action : undefined;
  const summary: DeliverySummary = {
    id: delivery.id,
    name: delivery.name,
    event: action ? `${delivery.name}.${action}` : delivery.name,
  };
  if (action) summary.action = action;
  if (typeof payload.installation?.id === "number") summary.installation = payload.installation.id;
  if (typeof payload.repository?.full_name === "string")
    summary.repo = payload.repository.full_name;
  return summary;
}
