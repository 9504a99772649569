import type { Logger } from "pino";
import { HookwrightError, toErrorBody, toHttpStatus } from "../errors.js";
import type { AckedFailures } from "./acked-failures.js";
import type { DeliveryRecords, Outcome } from "./delivery-records.js";
import { parseDelivery, type Delivery, type Headers } from "./parse-delivery.js";

export interface ReceiveResult {
  status: number;
  body: unknown;
  delivery?: Delivery;
}

/** The webhook endpoint without HTTP: raw request in, status and body out. */
export interface WebhookReceiver {
  receive(headers: Headers, body: Buffer): Promise<ReceiveResult>;
  /** Waits for deliveries still running, up to `timeoutMs`; true when none is left. */
  drain(timeoutMs: number): Promise<boolean>;
  inFlight(): number;
}

export interface WebhookReceiverOptions {
  secrets: readonly string[];
  records: DeliveryRecords;
  dispatch: (delivery: Delivery) => Promise<void>;
  logger: Logger;
  /** GitHub waits 10 s for an answer; past this the delivery is acknowledged with 202 and goes on. */
  deadlineMs: number;
  /** Told when handlers fail after their delivery was answered 202, for `redeliver`. */
  ackedFailures?: AckedFailures;
}

const TIMED_OUT = Symbol("timed out");

export function createWebhookReceiver(options: WebhookReceiverOptions): WebhookReceiver {
  const running = new Set<Promise<Outcome>>();

  function run(delivery: Delivery, answer: { acknowledged: boolean }): Promise<Outcome> {
    // A dispatch that throws before returning a promise must still finish its record, or
    // every redelivery would find it "running" and never run it again.
    const outcome = Promise.resolve(delivery)
      .then(options.dispatch)
      .then(
        () => "completed" as const,
        () => "failed" as const,
      );
    const settled = outcome.then(async (result) => {
      try {
        // GitHub saw a 202 and counts this delivered: only this note says it failed, so it
        // is written first, whatever happens to the record after it.
        if (result === "failed" && answer.acknowledged) {
          await options.ackedFailures?.add(delivery.id, Date.now());
        }
        await options.records.finish(delivery.id, result);
      } catch (error) {
        options.logger.error(
          { err: error, delivery: delivery.id },
          "could not record the delivery's outcome",
        );
      }
      return result;
    });
    running.add(settled);
    void settled.finally(() => running.delete(settled));
    return settled;
  }

  async function accept(delivery: Delivery): Promise<ReceiveResult> {
    let begun;
    try {
      begun = await options.records.begin(delivery.id);
    } catch (cause) {
      throw new HookwrightError("SERVICE_UNAVAILABLE", "the delivery store cannot be reached", {
        cause,
      });
    }
    if (begun === "completed") return { status: 200, body: { status: "duplicate" }, delivery };
    if (begun === "running") return { status: 202, body: { status: "running" }, delivery };
    let timer: NodeJS.Timeout | undefined;
    const deadline = new Promise<typeof TIMED_OUT>((resolve) => {
      timer = setTimeout(resolve, options.deadlineMs, TIMED_OUT);
    });
    const answer = { acknowledged: false };
    const result = await Promise.race([run(delivery, answer), deadline]);
    clearTimeout(timer);
    if (result === TIMED_OUT) {
      answer.acknowledged = true;
      return { status: 202, body: { status: "accepted" }, delivery };
    }
    if (result === "failed") {
      const error = new HookwrightError("HANDLER_FAILED");
      return { status: toHttpStatus(error), body: toErrorBody(error), delivery };
    }
    return { status: 200, body: { status: "completed" }, delivery };
  }

  return {
    async receive(headers, body) {
      try {
        return await accept(parseDelivery(headers, body, options.secrets));
      } catch (error) {
        return { status: toHttpStatus(error), body: toErrorBody(error) };
      }
    },
    async drain(timeoutMs) {
      let timer: NodeJS.Timeout | undefined;
      const timeout = new Promise<false>((resolve) => {
        timer = setTimeout(resolve, timeoutMs, false);
      });
      const done = Promise.allSettled([...running]).then(() => true);
      const drained = await Promise.race([done, timeout]);
      clearTimeout(timer);
      return drained;
    },
    inFlight: () => running.size,
  };
}
