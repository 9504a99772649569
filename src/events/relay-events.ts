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

/** How long events wait to share one PUBLISH: a console row or a metric is this much later. */
export const RELAY_BATCH_MS = 100;
/**
 * After a PUBLISH nobody heard, how long that process is not published to: short, since a
 * receiver resubscribing after a Redis reconnect is not heard from otherwise, and what is not
 * published meanwhile is lost (console rows, finished and dead metric samples).
 */
const DEAF_MS = 1000;

/**
 * In a worker: sends each event of a delivery received elsewhere to its receiving process, if
 * that process listened for the type when it queued the delivery. Events are batched, one
 * PUBLISH per receiving process every 100 ms, and none for 1 s after one that reached nobody
 * (the process is gone, or resubscribing). Fire and forget: a lost event costs a console row or
 * a metric sample, never the delivery. The returned stop sends what is batched, and resolves
 * once Redis answered it.
 */
export function publishEvents(options: {
  redis: Redis;
  prefix: string;
  events: DeliveryEvents;
  /** The route of a delivery running here, or undefined. */
  route: (deliveryId: string) => EventRoute | undefined;
  self: string;
  now?: () => number;
}): () => Promise<void> {
  const now = options.now ?? Date.now;
  const batches = new Map<string, DeliveryEvent[]>();
  /** Channel → until when it is not published to. */
  const deaf = new Map<string, number>();
  let timer: NodeJS.Timeout | undefined;
  function flush(): Promise<void> {
    timer = undefined;
    const sent = [...batches].map(([channel, events]) =>
      options.redis.publish(channel, JSON.stringify(events)).then(
        (heard) => {
          if (heard === 0) deaf.set(channel, now() + DEAF_MS);
        },
        () => undefined,
      ),
    );
    batches.clear();
    return Promise.all(sent).then(() => undefined);
  }
  const unsubscribe = options.events.subscribe(
    (event) => {
      const id = deliveryIdOf(event);
      const route = id === undefined ? undefined : options.route(id);
      if (!route || route.origin === options.self || !route.observe.includes(event.type)) return;
      const channel = eventsChannel(options.prefix, route.origin);
      if ((deaf.get(channel) ?? 0) > now()) return;
      deaf.delete(channel);
      const batch = batches.get(channel);
      if (batch) batch.push(event);
      else batches.set(channel, [event]);
      // Unref'd: a batch waiting holds no process open; stop sends it.
      timer ??= setTimeout(() => void flush(), RELAY_BATCH_MS).unref();
    },
    ["started", "plugin", "api-call", "finished", "dead"],
  );
  return () => {
    unsubscribe();
    clearTimeout(timer);
    return flush();
  };
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
      // A batch (an array), or one event from a worker of an earlier version.
      const sent = JSON.parse(text) as DeliveryEvent | DeliveryEvent[];
      for (const event of Array.isArray(sent) ? sent : [sent]) {
        options.events.emit({ ...event, relayed: true });
      }
    } catch {
      options.logger.debug("a relayed delivery event was not JSON");
    }
  });
  await options.subscriber.subscribe(channel);
  return async () => {
    await options.subscriber.unsubscribe(channel).catch(() => undefined);
  };
}
