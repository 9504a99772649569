import type { DeliveryEvents } from "../events/delivery-events.js";
import { toErrorBody, toHttpStatus } from "../errors.js";
import type { Scheduler } from "../scheduler/scheduler.js";
import { describeDelivery } from "./describe-delivery.js";
import { parseDelivery, type Delivery, type Headers } from "./parse-delivery.js";

export interface ReceiveResult {
  status: number;
  body: unknown;
  delivery?: Delivery;
}

/** The webhook endpoint without HTTP: raw request in, status and body out. */
export interface WebhookReceiver {
  receive(headers: Headers, body: Buffer): Promise<ReceiveResult>;
}

export interface WebhookReceiverOptions {
  secrets: readonly string[];
  scheduler: Scheduler;
  events: DeliveryEvents;
}

/**
 * The first stage: verify and parse (parseDelivery, in the contract's order), then hand the
 * delivery to the scheduler, whose answer GitHub gets. Every answer is an `answered` event.
 */
export function createWebhookReceiver(options: WebhookReceiverOptions): WebhookReceiver {
  const { events, scheduler } = options;
  async function answer(headers: Headers, body: Buffer): Promise<ReceiveResult> {
    let delivery: Delivery | undefined;
    try {
      delivery = parseDelivery(headers, body, options.secrets);
      if (events.wants("received")) {
        events.emit({ type: "received", delivery: describeDelivery(delivery) });
      }
      return { ...(await scheduler.schedule(delivery)), delivery };
    } catch (error) {
      const status = toHttpStatus(error);
      const body = toErrorBody(error);
      if (events.wants("refused")) events.emit({ type: "refused", code: body.error.code, status });
      return { status, body, ...(delivery && { delivery }) };
    }
  }
  return {
    async receive(headers, body) {
      const result = await answer(headers, body);
      if (events.wants("answered")) {
        events.emit({
          type: "answered",
          request: {
            headers,
            body,
            status: result.status,
            answer: result.body,
            ...(result.delivery && { delivery: describeDelivery(result.delivery) }),
          },
        });
      }
      return result;
    },
  };
}
