import { describe, expect, it } from "@jest/globals";
import { AsyncLocalStorage } from "node:async_hooks";
import { createDeliveryRunner, type DeliveryRunnerOptions } from "../../../src/app/run-delivery.js";
import { createDeliveryEvents, type DeliveryEvent } from "../../../src/events/delivery-events.js";
import { createMemoryAckedFailures } from "../../../src/webhooks/acked-failures.js";
import {
  createMemoryDeliveryRecords,
  type DeliveryRecords,
} from "../../../src/webhooks/delivery-records.js";
import type { Delivery } from "../../../src/webhooks/parse-delivery.js";
import { captureLogs } from "../../helpers/capture-logs.js";
import { createManualClock } from "../../helpers/manual-clock.js";
import { gate, sleep, until } from "../../helpers/wait.js";

const DELIVERY: Delivery = {
  id: "d-1",
  name: "issues",
  payload: { action: "opened", installation: { id: 7 }, repository: { full_name: "o/r" } },
};
const SUMMARY = {
  id: "d-1",
  name: "issues",
  event: "issues.opened",
  action: "opened",
  installation: 7,
  repo: "o/r",
};
const OWNER = "owner-1";

function setup(overrides: Partial<DeliveryRunnerOptions> = {}) {
  const logs = captureLogs();
  const clock = createManualClock();
  const events = createDeliveryEvents();
  const seen: DeliveryEvent[] = [];
  /** Event types and dispatch calls, in the order they happened. */
  const order: string[] = [];
  events.subscribe((event) => {
    seen.push(event);
    order.push(event.type);
  });
  const records = overrides.records ?? createMemoryDeliveryRecords({ clock });
  let behaviour: (delivery: Delivery) => Promise<void> = async () => {};
  const runner = createDeliveryRunner({
    dispatch: (delivery) => {
      order.push("dispatch");
      return behaviour(delivery);
    },
    events,
    logger: logs.logger,
    clock,
    ...overrides,
    records,
  });
  return {
    logs,
    clock,
    events,
    seen,
    order,
    records,
    runner,
    behave(next: (delivery: Delivery) => Promise<void>) {
      behaviour = next;
    },
    /** Begins the record as the scheduler would, then runs it. */
    async run(options: { acknowledged?: () => boolean; attempt?: number } = {}) {
      expect(await records.begin(DELIVERY.id, OWNER)).toBe("started");
      return runner.run(DELIVERY, { owner: OWNER, ...options });
    },
  };
}

describe("createDeliveryRunner", () => {
  it("runs the handlers, completes the record, and emits started then finished with the time taken", async () => {
    const { run, behave, clock, records, seen, order } = setup();
    behave(async () => clock.advance(1500));
    expect(await run()).toEqual({ outcome: "completed", error: undefined });
    expect(await records.isCompleted(DELIVERY.id)).toBe(true);
    expect(order).toEqual(["started", "dispatch", "finished"]);
    expect(seen).toEqual([
      { type: "started", delivery: SUMMARY, attempt: 1 },
      { type: "finished", delivery: SUMMARY, outcome: "completed", seconds: 1.5 },
    ]);
  });

  it("tells which attempt started, for a queue's retries", async () => {
    const { run, seen } = setup();
    await run({ attempt: 3 });
    expect(seen[0]).toEqual({ type: "started", delivery: SUMMARY, attempt: 3 });
  });

  it("frees the record of a failed run and emits its failure as one message per error", async () => {
    const { run, behave, records, seen } = setup();
    const failure = new AggregateError([new Error("first broke"), new Error("second broke")]);
    behave(async () => {
      throw failure;
    });
    expect(await run()).toEqual({ outcome: "failed", error: failure });
    expect(await records.begin(DELIVERY.id, "next")).toBe("started");
    expect(seen.at(-1)).toEqual({
      type: "finished",
      delivery: SUMMARY,
      outcome: "failed",
      seconds: 0,
      error: "first broke; second broke",
    });
  });

  it("treats a dispatch that throws synchronously as a failure and frees the record", async () => {
    const { run, behave, records } = setup();
    behave(() => {
      throw new Error("thrown before any promise");
    });
    expect(await run()).toMatchObject({ outcome: "failed" });
    expect(await records.begin(DELIVERY.id, "next")).toBe("started");
  });

  it("notes a failure after a 202 for redeliver, before finishing the record", async () => {
    const ackedFailures = createMemoryAckedFailures();
    const writes: string[] = [];
    const memory = createMemoryDeliveryRecords();
    const records: DeliveryRecords = {
      ...memory,
      async finish(id, owner, outcome) {
        writes.push(`finish:${outcome}`);
        throw new Error("store went away");
      },
    };
    const { run, behave, clock } = setup({
      records,
      ackedFailures: {
        add: (id, atMs) => (writes.push(`noted:${id}`), ackedFailures.add(id, atMs)),
        since: (ms) => ackedFailures.since(ms),
      },
    });
    behave(async () => {
      clock.advance(10);
      throw new Error("late failure");
    });
    await run({ acknowledged: () => true });
    expect(writes).toEqual([`noted:${DELIVERY.id}`, "finish:failed"]);
    expect([...(await ackedFailures.since(0))]).toEqual([[DELIVERY.id, clock.now()]]);
  });

  it("notes nothing when a failure was not acknowledged, or an acknowledged run completed", async () => {
    const ackedFailures = createMemoryAckedFailures();
    const inTime = setup({ ackedFailures });
    inTime.behave(async () => {
      throw new Error("early failure");
    });
    await inTime.run({ acknowledged: () => false });
    await setup({ ackedFailures }).run({ acknowledged: () => true });
    expect((await ackedFailures.since(0)).size).toBe(0);
  });

  it("still ends the run when its outcome cannot be recorded, and logs it", async () => {
    const records: DeliveryRecords = {
      ...createMemoryDeliveryRecords(),
      finish: () => Promise.reject(new Error("store went away")),
    };
    const { run, logs, order } = setup({ records });
    expect(await run()).toMatchObject({ outcome: "completed" });
    expect(order.at(-1)).toBe("finished");
    expect(logs.records()).toContainEqual(
      expect.objectContaining({ level: 50, deliveryId: DELIVERY.id }),
    );
  });

  it("lists a run while its handlers run, and not after", async () => {
    const { run, behave, runner } = setup();
    const handler = gate();
    behave(() => handler.opened);
    const outcome = run();
    await until(1000, "the run starting", () => runner.running().length === 1);
    expect(runner.running()).toEqual([
      expect.objectContaining({ delivery: DELIVERY, owner: OWNER }),
    ]);
    handler.open();
    await outcome;
    expect(runner.running()).toEqual([]);
  });

  it("renews the lease while the handlers run, so no other process takes the delivery", async () => {
    // A real clock: renewals run on a timer, every third of the lease. The lease is long
    // enough that a busy machine's late timer (hundreds of ms) does not let it lapse.
    const records = createMemoryDeliveryRecords({ leaseMs: 1200 });
    const renewals: string[] = [];
    const { run, behave } = setup({
      records: {
        ...records,
        renew: (id, owner) => (renewals.push(owner), records.renew(id, owner)),
      },
    });
    const handler = gate();
    behave(() => handler.opened);
    const outcome = run();
    await sleep(1700);
    expect(await records.begin(DELIVERY.id, "other")).toBe("running");
    expect(renewals.length).toBeGreaterThanOrEqual(3);
    expect(new Set(renewals)).toEqual(new Set([OWNER]));
    handler.open();
    await outcome;
    const afterEnd = renewals.length;
    await sleep(900);
    expect(renewals).toHaveLength(afterEnd);
    expect(await records.begin(DELIVERY.id, "other")).toBe("completed");
  });

  it("warns once when the lease was lost while the handlers ran", async () => {
    const records: DeliveryRecords = {
      ...createMemoryDeliveryRecords({ leaseMs: 150 }),
      renew: async () => false,
    };
    const { run, behave, logs } = setup({ records });
    const handler = gate();
    behave(() => handler.opened);
    const outcome = run();
    await sleep(250);
    handler.open();
    await outcome;
    const warnings = logs.records().filter((record) => record.level === 40);
    expect(warnings).toEqual([expect.objectContaining({ deliveryId: DELIVERY.id })]);
  });

  it("hands a run back on release: the record is freed, the run ends released and emits handed-back", async () => {
    const { run, behave, runner, records, seen, clock } = setup();
    const handler = gate();
    behave(() => handler.opened);
    const outcome = run();
    await until(1000, "the run starting", () => runner.running().length === 1);
    clock.advance(2000);
    await runner.running()[0]!.release();
    expect(await outcome).toEqual({ outcome: "released", error: undefined });
    expect(runner.running()).toEqual([]);
    expect(seen.at(-1)).toEqual({
      type: "finished",
      delivery: SUMMARY,
      outcome: "handed-back",
      seconds: 2,
    });
    expect(await records.begin(DELIVERY.id, "next")).toBe("started");
    // The handlers ending later change nothing: the record is the next run's.
    handler.open();
    await sleep(10);
    expect(await records.isCompleted(DELIVERY.id)).toBe(false);
    expect(seen.filter((event) => event.type === "finished")).toHaveLength(1);
  });

  it("runs the handlers inside the delivery's id only while an api-call listener needs it", async () => {
    const current = new AsyncLocalStorage<string>();
    const inside: (string | undefined)[] = [];
    const quiet = createDeliveryRunner({
      dispatch: async () => void inside.push(current.getStore()),
      records: createMemoryDeliveryRecords(),
      events: createDeliveryEvents(),
      logger: captureLogs().logger,
      current,
    });
    await quiet.run(DELIVERY, { owner: OWNER });
    // Metrics' kind of listener: the calls' own header says their delivery.
    const counting = createDeliveryEvents();
    counting.subscribe(() => undefined, ["api-call"], { attribution: false });
    const counted = createDeliveryRunner({
      dispatch: async () => void inside.push(current.getStore()),
      records: createMemoryDeliveryRecords(),
      events: counting,
      logger: captureLogs().logger,
      current,
    });
    await counted.run(DELIVERY, { owner: OWNER });
    const events = createDeliveryEvents();
    events.subscribe(() => undefined, ["api-call"]);
    const listened = createDeliveryRunner({
      dispatch: async () => void inside.push(current.getStore()),
      records: createMemoryDeliveryRecords(),
      events,
      logger: captureLogs().logger,
      current,
    });
    await listened.run(DELIVERY, { owner: OWNER });
    expect(inside).toEqual([undefined, undefined, DELIVERY.id]);
  });
});
