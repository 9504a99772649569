import { describe, expect, it } from "@jest/globals";
import { setImmediate as tick } from "node:timers/promises";
import { createDeliveryRunner } from "../../../src/app/run-delivery.js";
import { createDeliveryEvents } from "../../../src/events/delivery-events.js";
import {
  createInlineScheduler,
  type InlineSchedulerOptions,
} from "../../../src/scheduler/inline-scheduler.js";
import { toErrorBody, toHttpStatus } from "../../../src/errors.js";
import {
  createMemoryAckedFailures,
  type AckedFailures,
} from "../../../src/webhooks/acked-failures.js";
import {
  createMemoryDeliveryRecords,
  type DeliveryRecords,
} from "../../../src/webhooks/delivery-records.js";
import type { Delivery } from "../../../src/webhooks/parse-delivery.js";
import { captureLogs } from "../../helpers/capture-logs.js";
import { countingTimers } from "../../helpers/counting-timers.js";
import { gate } from "../../helpers/wait.js";

const DELIVERY: Delivery = { id: "d-1", name: "issues", payload: { a: 1 } };

function setup(
  options: Partial<Omit<InlineSchedulerOptions, "runner">> & { ackedFailures?: AckedFailures } = {},
) {
  const logs = captureLogs();
  const seen: Delivery[] = [];
  let behaviour: (delivery: Delivery) => Promise<void> = async () => {};
  const records = options.records ?? createMemoryDeliveryRecords();
  const journal = options.journal ?? createMemoryAckedFailures();
  const runner = createDeliveryRunner({
    dispatch: (delivery) => {
      seen.push(delivery);
      return behaviour(delivery);
    },
    records,
    events: createDeliveryEvents(),
    logger: logs.logger,
    ackedFailures: options.ackedFailures,
  });
  const scheduler = createInlineScheduler({
    logger: logs.logger,
    deadlineMs: options.deadlineMs ?? 50,
    clock: options.clock,
    timers: options.timers,
    runner,
    records,
    journal,
  });
  return {
    logs,
    seen,
    records,
    journal,
    runner,
    scheduler,
    behave(next: (delivery: Delivery) => Promise<void>) {
      behaviour = next;
    },
    send: () => scheduler.schedule(DELIVERY),
  };
}

/** How a promise settled, read without awaiting it. */
function track<T>(promise: Promise<T>) {
  const state: { settled: boolean; value?: T; error?: unknown } = { settled: false };
  promise.then(
    (value) => Object.assign(state, { settled: true, value }),
    (error: unknown) => Object.assign(state, { settled: true, error }),
  );
  return state;
}

describe("createInlineScheduler", () => {
  it("answers 200 once every handler has finished", async () => {
    const { send, seen } = setup();
    expect(await send()).toEqual({ status: 200, body: { status: "completed" } });
    expect(seen).toEqual([DELIVERY]);
  });

  it("answers 200 to a redelivery of a completed delivery without running it again", async () => {
    const { send, seen } = setup();
    await send();
    expect(await send()).toEqual({ status: 200, body: { status: "duplicate" } });
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
    expect(await send()).toEqual({ status: 200, body: { status: "completed" } });
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

  it("holds no deadline timer once a run ended within its deadline, completed or failed", async () => {
    const timers = countingTimers();
    const { send, behave, scheduler } = setup({ deadlineMs: 60_000, timers });
    expect((await send()).status).toBe(200);
    expect(timers.live()).toBe(0);
    behave(async () => {
      throw new Error("handler failed");
    });
    expect((await scheduler.schedule({ ...DELIVERY, id: "d-2" })).status).toBe(500);
    expect(timers.set.calls).toBe(2);
    expect(timers.live()).toBe(0);
  });

  it("answers 202 at the deadline, lets the handler go on and records its outcome later", async () => {
    const { send, seen, behave, scheduler } = setup();
    const handler = gate();
    let finished = false;
    behave(async () => {
      await handler.opened;
      finished = true;
    });
    expect(await send()).toEqual({ status: 202, body: { status: "accepted" } });
    expect(finished).toBe(false);
    expect(scheduler.inFlight()).toBe(1);

    // A redelivery while this process still runs it is not started a second time.
    expect(await send()).toEqual({ status: 202, body: { status: "running" } });
    expect(seen).toHaveLength(1);

    handler.open();
    expect(await scheduler.drain(5000)).toEqual([]);
    expect(finished).toBe(true);
    expect(scheduler.inFlight()).toBe(0);
    expect(await send()).toEqual({ status: 200, body: { status: "duplicate" } });
    expect(seen).toHaveLength(1);
  });

  it("records a failure after the deadline, so the redelivery runs again", async () => {
    const { send, seen, behave, scheduler } = setup();
    const handler = gate();
    behave(() => handler.opened);
    expect((await send()).status).toBe(202);
    handler.fail(new Error("late failure"));
    await scheduler.drain(5000);
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
    await late.scheduler.drain(5000);
    expect([...(await ackedFailures.since(0)).keys()]).toEqual([DELIVERY.id]);

    const inTime = setup({ ackedFailures });
    inTime.behave(async () => {
      throw new Error("early failure");
    });
    expect((await inTime.scheduler.schedule({ ...DELIVERY, id: "d-in-time" })).status).toBe(500);
    const slowButFine = setup({ ackedFailures });
    const finishing = gate();
    slowButFine.behave(() => finishing.opened);
    expect((await slowButFine.scheduler.schedule({ ...DELIVERY, id: "d-slow" })).status).toBe(202);
    finishing.open();
    expect(await slowButFine.scheduler.drain(5000)).toEqual([]);
    expect([...(await ackedFailures.since(0)).keys()]).toEqual([DELIVERY.id]);
  });

  it("answers 503 DELIVERY_IN_PROGRESS when another process holds the delivery's lease", async () => {
    const records = createMemoryDeliveryRecords();
    await records.begin(DELIVERY.id, "another-process");
    const { send, seen, scheduler } = setup({ records });
    const refusal = await send().catch((error: unknown) => error);
    expect(refusal).toMatchObject({ code: "DELIVERY_IN_PROGRESS" });
    expect(toHttpStatus(refusal)).toBe(503);
    expect(seen).toHaveLength(0);
    expect(scheduler.inFlight()).toBe(0);
    // Once that run finishes as failed, the redelivery runs here.
    await records.finish(DELIVERY.id, "another-process", "failed");
    expect(await send()).toEqual({ status: 200, body: { status: "completed" } });
    expect(seen).toHaveLength(1);
  });

  it("answers 503 SERVICE_UNAVAILABLE without running handlers when the records store cannot be reached", async () => {
    const records: DeliveryRecords = {
      ...createMemoryDeliveryRecords(),
      begin: () => Promise.reject(new Error("ECONNREFUSED 127.0.0.1:6379")),
    };
    const { send, seen } = setup({ records });
    const refusal = await send().catch((error: unknown) => error);
    expect(refusal).toMatchObject({ code: "SERVICE_UNAVAILABLE" });
    expect(toHttpStatus(refusal)).toBe(503);
    expect(JSON.stringify(toErrorBody(refusal))).not.toContain("ECONNREFUSED");
    expect(seen).toHaveLength(0);
  });

  it("still answers 200 when the outcome cannot be recorded, and logs it", async () => {
    const records: DeliveryRecords = {
      ...createMemoryDeliveryRecords(),
      finish: () => Promise.reject(new Error("store went away")),
    };
    const { send, logs } = setup({ records });
    expect((await send()).status).toBe(200);
    const line = logs.records().find((record) => record.level === 50);
    expect(line).toMatchObject({ deliveryId: DELIVERY.id });
  });

  it("drain waits for running deliveries", async () => {
    const { send, behave, scheduler } = setup();
    const handler = gate();
    let finished = false;
    behave(async () => {
      await handler.opened;
      finished = true;
    });
    expect((await send()).status).toBe(202);
    const draining = track(scheduler.drain(5000));
    await tick();
    expect(draining.settled).toBe(false);
    handler.open();
    await ticksUntil(() => draining.settled);
    expect(draining.value).toEqual([]);
    expect(finished).toBe(true);
  });

  it("drain hands back what still runs at its timeout: journalled, record freed, ids returned", async () => {
    const { send, behave, scheduler, journal, records, runner, logs } = setup();
    const handler = gate();
    behave(() => handler.opened);
    expect((await send()).status).toBe(202);
    expect(await scheduler.drain(20)).toEqual([DELIVERY.id]);
    expect(scheduler.inFlight()).toBe(0);
    expect(runner.running()).toEqual([]);
    expect([...(await journal.since(0)).keys()]).toEqual([DELIVERY.id]);
    // Another process (or a redelivery here) may run it now.
    expect(await records.begin(DELIVERY.id, "next")).toBe("started");
    expect(logs.records()).toContainEqual(
      expect.objectContaining({ level: 40, deliveries: [DELIVERY.id] }),
    );
    handler.open();
  });

  it("answers 503 to a delivery handed back before its deadline, so GitHub keeps it", async () => {
    const { behave, scheduler, journal } = setup({ deadlineMs: 60_000 });
    const handler = gate();
    const started = gate();
    behave(() => {
      started.open();
      return handler.opened;
    });
    const answer = scheduler.schedule(DELIVERY);
    await started.opened;
    expect(await scheduler.drain(20)).toEqual([DELIVERY.id]);
    const refusal = await answer.catch((error: unknown) => error);
    expect(refusal).toMatchObject({ code: "SERVICE_UNAVAILABLE" });
    expect(toHttpStatus(refusal)).toBe(503);
    expect([...(await journal.since(0)).keys()]).toEqual([DELIVERY.id]);
    handler.open();
  });

  it("still hands a delivery back when the journal cannot be written, and logs it", async () => {
    const journal = {
      add: () => Promise.reject(new Error("journal down")),
      since: async () => new Map<string, number>(),
    };
    const { send, behave, scheduler, records, logs } = setup({ journal });
    const handler = gate();
    behave(() => handler.opened);
    expect((await send()).status).toBe(202);
    expect(await scheduler.drain(20)).toEqual([DELIVERY.id]);
    expect(await records.begin(DELIVERY.id, "next")).toBe("started");
    expect(logs.records()).toContainEqual(
      expect.objectContaining({ level: 50, deliveryId: DELIVERY.id }),
    );
    handler.open();
  });

  it("drain with nothing running resolves with no ids", async () => {
    const { scheduler } = setup();
    expect(await scheduler.drain(10)).toEqual([]);
  });
});

async function ticksUntil(condition: () => boolean): Promise<void> {
  while (!condition()) await tick();
}
