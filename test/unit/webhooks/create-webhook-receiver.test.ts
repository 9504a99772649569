import { describe, expect, it } from "@jest/globals";
import { HookwrightError } from "../../../src/errors.js";
import { createDeliveryEvents, type DeliveryEvent } from "../../../src/events/delivery-events.js";
import type { Scheduled, Scheduler } from "../../../src/scheduler/scheduler.js";
import { createWebhookReceiver } from "../../../src/webhooks/create-webhook-receiver.js";
import type { Delivery } from "../../../src/webhooks/parse-delivery.js";
import { createSignedDelivery } from "../../helpers/signed-delivery.js";

const SECRET = "receiver-secret";
const PAYLOAD = { action: "opened", installation: { id: 7 }, repository: { full_name: "o/r" } };

function setup() {
  const events = createDeliveryEvents();
  const seen: DeliveryEvent[] = [];
  /** Event types and the scheduler's call, in the order they happened. */
  const order: string[] = [];
  events.subscribe((event) => {
    seen.push(event);
    order.push(event.type);
  });
  const scheduled: Delivery[] = [];
  let answer: (delivery: Delivery) => Promise<Scheduled> = async () => ({
    status: 200,
    body: { status: "completed" },
  });
  // A scheduler that records what it is handed and answers as told.
  const scheduler: Scheduler = {
    schedule(delivery) {
      scheduled.push(delivery);
      order.push("schedule");
      return answer(delivery);
    },
    drain: async () => [],
    inFlight: () => 0,
  };
  const receiver = createWebhookReceiver({ secrets: [SECRET], scheduler, events });
  const delivery = createSignedDelivery({ secret: SECRET, event: "issues", payload: PAYLOAD });
  return {
    events,
    seen,
    order,
    scheduled,
    receiver,
    delivery,
    answer(next: typeof answer) {
      answer = next;
    },
    send: () => receiver.receive(delivery.headers, delivery.body),
  };
}

const SUMMARY = {
  name: "issues",
  event: "issues.opened",
  action: "opened",
  installation: 7,
  repo: "o/r",
};

describe("createWebhookReceiver", () => {
  it("hands a verified delivery to the scheduler and answers with the scheduler's answer", async () => {
    const { send, scheduled, delivery, answer } = setup();
    const result = await send();
    expect(result).toEqual({
      status: 200,
      body: { status: "completed" },
      delivery: { id: delivery.id, name: "issues", payload: PAYLOAD },
    });
    expect(scheduled).toEqual([{ id: delivery.id, name: "issues", payload: PAYLOAD }]);
    answer(async () => ({ status: 202, body: { status: "accepted" } }));
    expect(await send()).toMatchObject({ status: 202, body: { status: "accepted" } });
  });

  it("emits received before scheduling and answered after, with the request and its answer", async () => {
    const { send, seen, order, delivery } = setup();
    await send();
    expect(order).toEqual(["received", "schedule", "answered"]);
    expect(seen).toEqual([
      { type: "received", delivery: { id: delivery.id, ...SUMMARY } },
      {
        type: "answered",
        request: {
          headers: delivery.headers,
          body: delivery.body,
          status: 200,
          answer: { status: "completed" },
          delivery: { id: delivery.id, ...SUMMARY },
        },
      },
    ]);
  });

  it("answers a request that fails verification with its error, without scheduling it", async () => {
    const { receiver, scheduled, seen, delivery } = setup();
    const headers = { ...delivery.headers, "x-hub-signature-256": `sha256=${"0".repeat(64)}` };
    const result = await receiver.receive(headers, delivery.body);
    expect(result).toEqual({
      status: 401,
      body: { error: { code: "SIGNATURE_MISMATCH", message: expect.any(String) } },
    });
    expect(scheduled).toHaveLength(0);
    // Refused requests are answered events too (the console lists them), without a delivery,
    // after the refusal with its code (metrics count those).
    expect(seen).toEqual([
      { type: "refused", code: "SIGNATURE_MISMATCH", status: 401 },
      {
        type: "answered",
        request: { headers, body: delivery.body, status: 401, answer: result.body },
      },
    ]);
  });

  it("answers a scheduler's refusal with its status and a safe body, keeping the delivery", async () => {
    const { send, answer, seen, delivery } = setup();
    answer(() =>
      Promise.reject(
        new HookwrightError("SERVICE_UNAVAILABLE", "the delivery store cannot be reached", {
          cause: new Error("ECONNREFUSED 127.0.0.1:6379"),
        }),
      ),
    );
    const result = await send();
    expect(result.status).toBe(503);
    expect(result.body).toEqual({
      error: { code: "SERVICE_UNAVAILABLE", message: expect.any(String) },
    });
    expect(JSON.stringify(result.body)).not.toContain("ECONNREFUSED");
    expect(result.delivery?.id).toBe(delivery.id);
    expect(seen.at(-1)).toMatchObject({
      type: "answered",
      request: { status: 503, delivery: { id: delivery.id } },
    });
  });

  it("answers an unexpected scheduler failure 500 INTERNAL without its details", async () => {
    const { send, answer } = setup();
    answer(() => Promise.reject(new Error("database password is hunter2")));
    const result = await send();
    expect(result.status).toBe(500);
    expect(result.body).toEqual({ error: { code: "INTERNAL", message: expect.any(String) } });
    expect(JSON.stringify(result.body)).not.toContain("hunter2");
  });

  it("still answers when nobody listens to the events", async () => {
    const scheduler: Scheduler = {
      schedule: async () => ({ status: 200, body: { status: "duplicate" } }),
      drain: async () => [],
      inFlight: () => 0,
    };
    const events = createDeliveryEvents();
    const receiver = createWebhookReceiver({ secrets: [SECRET], scheduler, events });
    const delivery = createSignedDelivery({ secret: SECRET, event: "ping", payload: {} });
    expect(await receiver.receive(delivery.headers, delivery.body)).toMatchObject({
      status: 200,
      body: { status: "duplicate" },
    });
  });
});
