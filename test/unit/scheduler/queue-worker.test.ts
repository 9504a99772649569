import { afterEach, describe, expect, it } from "@jest/globals";
import type { Delivery } from "../../../src/webhooks/parse-delivery.js";
import { hasRedisServer, useRedisServer } from "../../helpers/redis-server.js";
import { gate, sleep, until } from "../../helpers/wait.js";
import { delivery, openQueueHarness } from "./queue-harness.js";

const describeRedis = hasRedisServer ? describe : describe.skip;

describeRedis("startQueueWorker", () => {
  const redisServer = useRedisServer();
  const cleanups: (() => Promise<unknown>)[] = [];
  afterEach(async () => {
    for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
  });

  async function open(dispatch: (delivery: Delivery) => Promise<void>, attempts = 3) {
    const harness = await openQueueHarness(redisServer, dispatch, { attempts });
    cleanups.push(harness.close);
    return { ...harness, scheduler: harness.scheduler(), start: () => harness.startWorker() };
  }

  it("runs a queued delivery once and records it completed; the job is gone", async () => {
    const ran: string[] = [];
    const { scheduler, start, records, queue } = await open(async (d) => void ran.push(d.id));
    start();
    await scheduler.schedule(delivery("d-1"));
    await until(5000, "the run", () => ran.length === 1);
    await sleep(200);
    expect(await records.isCompleted("d-1")).toBe(true);
    expect(await queue.getJobState("d-1")).toBe("unknown");
    expect((await scheduler.schedule(delivery("d-1"))).status).toBe(200);
    expect(ran).toEqual(["d-1"]);
  });

  it("retries a failing delivery with backoff, then leaves it in the failed set, logged and announced", async () => {
    let runs = 0;
    const { scheduler, start, queue, seen, logs } = await open(async () => {
      runs += 1;
      throw new Error("GitHub answered 502");
    }, 3);
    start();
    await scheduler.schedule(delivery("d-1"));
    await until(10_000, "the failed set", () => seen.some((event) => event.type === "dead"));
    expect(runs).toBe(3);
    expect(await queue.getJobState("d-1")).toBe("failed");
    expect((await queue.getJob("d-1"))?.failedReason).toBe("GitHub answered 502");
    expect(seen.find((event) => event.type === "dead")).toMatchObject({
      delivery: { id: "d-1", event: "issues.opened" },
      attempts: 3,
    });
    expect(logs.records().some((line) => line.level === 50 && line.deliveryId === "d-1")).toBe(
      true,
    );
  });

  it("queues again, when GitHub redelivers it, a delivery that died in the failed set", async () => {
    let fail = true;
    const ran: string[] = [];
    const { scheduler, start, queue, seen } = await open(async (d) => {
      ran.push(d.id);
      if (fail) throw new Error("down");
    }, 1);
    start();
    await scheduler.schedule(delivery("d-1"));
    await until(10_000, "the failed set", () => seen.some((event) => event.type === "dead"));
    fail = false;
    expect(await scheduler.schedule(delivery("d-1"))).toEqual({
      status: 202,
      body: { status: "queued" },
    });
    await until(10_000, "the second run", () => ran.length === 2);
    await sleep(200);
    expect(await queue.getJobState("d-1")).not.toBe("failed");
  });

  it("waits, without running or using an attempt, while another process holds the delivery's lease", async () => {
    const ran: string[] = [];
    const { scheduler, start, records, queue } = await open(async (d) => void ran.push(d.id));
    expect(await records.begin("d-1", "a receiver that died")).toBe("started");
    start();
    await scheduler.schedule(delivery("d-1"));
    await sleep(300);
    expect(ran).toEqual([]);
    expect(await queue.getJobState("d-1")).toBe("delayed");
    // The 1 s lease lapses, the delayed job comes back, and this time it runs.
    await until(10_000, "the run after the lease lapsed", () => ran.length === 1);
  });

  it("drain hands a delivery still running back to the queue at once, and frees its record", async () => {
    const handler = gate();
    const ran: string[] = [];
    const { scheduler, start, queue, records } = await open(async (d) => {
      ran.push(d.id);
      await handler.opened;
    });
    const worker = start();
    await scheduler.schedule(delivery("d-1"));
    await until(5000, "the run to start", () => ran.length === 1);
    expect(await worker.drain(100)).toEqual(["d-1"]);
    expect(await queue.getJobState("d-1")).toBe("waiting");
    expect(await records.begin("d-1", "the next worker")).toBe("started");
    handler.open();
  });
});
