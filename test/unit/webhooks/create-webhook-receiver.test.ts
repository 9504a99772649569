import { describe, expect, it } from "@jest/globals";
import { setImmediate as tick } from "node:timers/promises";
import {
  createWebhookReceiver,
  type WebhookReceiverOptions,
} from "../../../src/webhooks/create-webhook-receiver.js";
import {
  createMemoryDeliveryRecords,
  type DeliveryRecords,
} from "../../../src/webhooks/delivery-records.js";
import { createMemoryAckedFailures } from "../../../src/webhooks/acked-failures.js";
import type { Delivery } from "../../../src/webhooks/parse-delivery.js";
import { captureLogs } from "../../helpers/capture-logs.js";
import { createSignedDelivery } from "../../helpers/signed-delivery.js";

const SECRET = "receiver-secret";

function gate() {
  let open!: () => void;
  let fail!: (error: Error) => void;
  const opened = new Promise<void>((resolve, reject) => {
    open = resolve;
    fail = reject;
  });
  return { opened, open, fail };
}

function setup(overrides: Partial<WebhookReceiverOptions> = {}) {
  const logs = captureLogs();
  const seen: Delivery[] = [];
  let behaviour: (delivery: Delivery) => Promise<void> = async () => {};
  const receiver = createWebhookReceiver({
    secrets: [SECRET],
    records: createMemoryDeliveryRecords(),
    dispatch: (delivery) => {
      seen.push(delivery);
      return behaviour(delivery);
    },
    logger: logs.logger,
    deadlineMs: 50,
    ...overrides,
  });
  const delivery = createSignedDelivery({ secret: SECRET, event: "issues", payload: { a: 1 } });
  return {
    logs,
    seen,
    receiver,
    delivery,
    behave(next: (delivery: Delivery) => Promise<void>) {
      behaviour = next;
    },
    send: () => receiver.receive(delivery.headers, delivery.body),
  };
}

describe("createWebhookReceiver", () => {
  it("answers 200 once every handler has finished", async () => {
    const { send, seen, delivery } = setup();
    const result = await send();
    expect(result).toMatchObject({ status: 200, body: { status: "completed" } });
    expect(result.delivery?.id).toBe(delivery.id);
    expect(seen).toEqual([{ id: delivery.id, name: "issues", payload: { a: 1 } }]);
  });

  it("answers 200 to a redelivery of a completed delivery without running it again", async () => {
    const { send, seen } = setup();
    await send();
    const again = await send();
    expect(again).toMatchObject({ status: 200, body: { status: "duplicate" } });
    expect(seen).toHaveLength(1);
  });

  it("answers 500 with a generic body when a handler fails, and runs a redelivery again", async () => {
    const { send, seen, behave } = setup();
    behave(async () => {
      throw new Error("database password is hunter2");
    });
    const failed = await send();
    expect(failed.status).toBe(500);
    expect(failed.body).toEqual({
      error: { code: "HANDLER_FAILED", message: expect.any(String) },
    });
    expect(JSON.stringify(failed.body)).not.toContain("hunter2");

    behave(async () => {});
    expect(await send()).toMatchObject({ status: 200, body: { status: "completed" } });
    expect(seen).toHaveLength(2);
  });

  it("treats a dispatch that throws synchronously as a failure, so a redelivery runs again", async () => {
    const { send, seen, behave } = setup();
    behave(() => {
      throw new Error("thrown before any promise");
    });
    expect((await send()).status).toBe(500);
    behave(async () => {});
    expect((await send()).status).toBe(200);
    expect(seen).toHaveLength(2);
  });

  it("answers 202 at the deadline, lets the handler go on and records its outcome later", async () => {
    const { send, seen, behave, receiver } = setup();
    const handler = gate();
    let finished = false;
    behave(async () => {
      await handler.opened;
      finished = true;
    });
    const first = await send();
    expect(first).toMatchObject({ status: 202, body: { status: "accepted" } });
    expect(finished).toBe(false);
    expect(receiver.inFlight()).toBe(1);

    // A redelivery while it still runs is not started a second time.
    expect((await send()).status).toBe(202);
    expect(seen).toHaveLength(1);

    handler.open();
    expect(await receiver.drain(5000)).toBe(true);
    expect(finished).toBe(true);
    expect(receiver.inFlight()).toBe(0);
    expect(await send()).toMatchObject({ status: 200, body: { status: "duplicate" } });
    expect(seen).toHaveLength(1);
  });

  it("records a failure after the deadline, so the redelivery runs again", async () => {
    const { send, seen, behave, receiver } = setup();
    const handler = gate();
    behave(() => handler.opened);
    expect((await send()).status).toBe(202);
    handler.fail(new Error("late failure"));
    await receiver.drain(5000);
    behave(async () => {});
    expect((await send()).status).toBe(200);
    expect(seen).toHaveLength(2);
  });

  it("notes a failure after a 202 for redeliver, and nothing when it failed in time or completed late", async () => {
    const ackedFailures = createMemoryAckedFailures();
    const late = setup({ ackedFailures });
    const handler = gate();
    late.behave(() => handler.opened);
    expect((await late.send()).status).toBe(202);
    handler.fail(new Error("late failure"));
    await late.receiver.drain(5000);
    const noted = await ackedFailures.since(0);
    expect([...noted.keys()]).toEqual([late.delivery.id]);

    const inTime = setup({ ackedFailures });
    inTime.behave(async () => {
      throw new Error("early failure");
    });
    expect((await inTime.send()).status).toBe(500);
    const slowButFine = setup({ ackedFailures });
    const finishing = gate();
    slowButFine.behave(() => finishing.opened);
    expect((await slowButFine.send()).status).toBe(202);
    finishing.open();
    await slowButFine.receiver.drain(5000);
    expect([...(await ackedFailures.since(0)).keys()]).toEqual([late.delivery.id]);
  });

  it("answers 503 without running handlers when the records store cannot be reached", async () => {
    const records: DeliveryRecords = {
      begin: () => Promise.reject(new Error("ECONNREFUSED 127.0.0.1:6379")),
      finish: async () => {},
    };
    const { send, seen } = setup({ records });
    const result = await send();
    expect(result.status).toBe(503);
    expect(result.body).toEqual({
      error: { code: "SERVICE_UNAVAILABLE", message: expect.any(String) },
    });
    expect(JSON.stringify(result.body)).not.toContain("ECONNREFUSED");
    expect(seen).toHaveLength(0);
  });

  it("still answers 200 when the outcome cannot be recorded, and logs it", async () => {
    const records: DeliveryRecords = {
      begin: async () => "started",
      finish: () => Promise.reject(new Error("store went away")),
    };
    const { send, logs, delivery } = setup({ records });
    expect((await send()).status).toBe(200);
    const line = logs.records().find((record) => record.level === 50);
    expect(line).toMatchObject({ delivery: delivery.id });
  });

  it("answers a request that fails verification with its error, without dispatching", async () => {
    const { receiver, seen, delivery } = setup();
    const result = await receiver.receive(
      { ...delivery.headers, "x-hub-signature-256": `sha256=${"0".repeat(64)}` },
      delivery.body,
    );
    expect(result).toEqual({
      status: 401,
      body: { error: { code: "SIGNATURE_MISMATCH", message: expect.any(String) } },
    });
    expect(seen).toHaveLength(0);
  });

  it("drain waits for running deliveries", async () => {
    const { send, behave, receiver } = setup();
    const handler = gate();
    let finished = false;
    behave(async () => {
      await handler.opened;
      finished = true;
    });
    expect((await send()).status).toBe(202);
    let drained: boolean | undefined;
    const draining = receiver.drain(5000).then((result) => (drained = result));
    await tick();
    expect(drained).toBeUndefined();
    handler.open();
    expect(await draining).toBe(true);
    expect(finished).toBe(true);
  });

  it("drain gives up at its timeout and says so", async () => {
    const { send, behave, receiver } = setup();
    const handler = gate();
    behave(() => handler.opened);
    expect((await send()).status).toBe(202);
    expect(await receiver.drain(20)).toBe(false);
    expect(receiver.inFlight()).toBe(1);
    handler.open();
    expect(await receiver.drain(5000)).toBe(true);
  });

  it("drain with nothing running resolves true", async () => {
    const { receiver } = setup();
    expect(await receiver.drain(10)).toBe(true);
  });
});
