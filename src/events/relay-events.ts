import type { Redis } from "ioredis";
import type { Logger } from "pino";
import type { DeliveryEvent, DeliveryEvents } from "./delivery-events.js";

/** The channel a process hears the events of its deliveries on, when other processes run them. */
export const eventsChannel = (prefix: string, origin: string) => `${prefix}:events:${origin}`;

/** Who to tell about a delivery's events: its receiving process, and what that one listens to. */
export interface EventRoute {
  origin: string;
  observe: readonly string[];
}

function deliveryIdOf(event: DeliveryEvent): string | undefined {
  if (event.type === "plugin" || event.type === "api-call") return event.id;
  if ("delivery" in event) return event.delivery.id;
  return undefined;
}

/**
 * In a worker: sends each event of a delivery received elsewhere to its receiving process, if
 * that process listened for the type when it queued the delivery. Fire and forget: a lost
 * event costs a console row or a metric sample, never the delivery.
 */
export function publishEvents(options: {
  redis: Redis;
  prefix: string;
  events: DeliveryEvents;
  /** The route of a delivery running here, or undefined. */
  route: (deliveryId: string) => EventRoute | undefined;
  self: string;
}): () => void {
  return options.events.subscribe(
    (event) => {
      const id = deliveryIdOf(event);
      const route = id === undefined ? undefined : options.route(id);
      if (!route || route.origin === options.self || !route.observe.includes(event.type)) return;
      options.redis
        .publish(eventsChannel(options.prefix, route.origin), JSON.stringify(event))
        .catch(() => undefined);
    },
    ["started", "plugin", "api-call", "finished", "dead"],
  );
}

/** In a receiver: re-emits, in this process's stream, the events workers send back. */
export async function receiveRelayedEvents(options: {
  subscriber: Redis;
  prefix: string;
  self: string;
  events: DeliveryEvents;
  logger: Logger;
}): Promise<() => Promise<void>> {
  const channel = eventsChannel(options.prefix, options.self);
  options.subscriber.on("message", (from: string, text: string) => {
    if (from !== channel) return;
    try {
      options.events.emit({ ...(JSON.parse(text) as DeliveryEvent), relayed: true });
    } catch {
      options.logger.debug("a relayed delivery event was not JSON");
    }
  });
  await options.subscriber.subscribe(channel);
  return async () => {
    await options.subscriber.unsubscribe(channel).catch(() => undefined);
  };
}
