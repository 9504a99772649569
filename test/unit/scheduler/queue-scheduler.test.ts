import { afterEach, describe, expect, it } from "@jest/globals";
import { Worker } from "bullmq";
import { systemClock } from "../../../src/clock.js";
import { createDeliveryEvents } from "../../../src/events/delivery-events.js";
import { QUEUE_NAME } from "../../../src/scheduler/delivery-queue.js";
import { createQueueScheduler } from "../../../src/scheduler/queue-scheduler.js";
import { createMetrics } from "../../../src/server/create-metrics.js";
import { createManualClock } from "../../helpers/manual-clock.js";
import { hasRedisServer, useRedisServer } from "../../helpers/redis-server.js";
import { rejectionOf } from "../../helpers/rejection.js";
import { until } from "../../helpers/wait.js";
import { delivery, openQueueHarness } from "./queue-harness.js";

const describeRedis = hasRedisServer ? describe : describe.skip;

describeRedis("createQueueScheduler", () => {
  const redisServer = useRedisServer();
  let close: (() => Promise<void>) | undefined;
  afterEach(async () => {
    await close?.();
    close = undefined;
  });

  async function open(maxWaiting?: number, clock = createManualClock(0)) {
    const harness = await openQueueHarness(redisServer, async () => undefined);
    close = harness.close;
    const scheduler = createQueueScheduler({
      queue: harness.queue,
      events: harness.events,
      logger: harness.logs.logger,
      origin: "receiver-1",
      maxWaiting,
      clock,
    });
    return { ...harness, scheduler, clock };
  }

  it("queues a delivery as a job named by its id, with its origin and what is listened to, and answers 202", async () => {
    const { scheduler, queue } = await open();
    expect(await scheduler.schedule(delivery("d-1"))).toEqual({
      status: 202,
      body: { status: "queued" },
    });
    const job = await queue.getJob("d-1");
    expect(job?.data).toEqual({
      id: "d-1",
      name: "issues",
      payload: delivery("d-1").payload,
      origin: "receiver-1",
      observe: ["started", "plugin", "api-call", "finished", "dead"],
    });
  });

  it("queues the same delivery id once, however often it arrives", async () => {
    const { scheduler, queue } = await open();
    await Promise.all([1, 2, 3].map(() => scheduler.schedule(delivery("d-1"))));
    expect(await queue.getWaitingCount()).toBe(1);
  });

  it("answers 200 duplicate for a completed delivery and queues nothing", async () => {
    const { scheduler, queue, startWorker } = await open();
    await scheduler.schedule(delivery("d-1"));
    startWorker();
    await until(5000, "the run", async () => (await queue.getJobState("d-1")) === "unknown");
    expect(await scheduler.schedule(delivery("d-1"))).toEqual({
      status: 200,
      body: { status: "duplicate" },
    });
    expect(await queue.getJob("d-1")).toBeUndefined();
  });

  it("answers 503 QUEUE_FULL past QUEUE_MAX_WAITING, counting waiting jobs at most once a second", async () => {
    const { scheduler, clock, queue } = await open(2);
    await scheduler.schedule(delivery("d-1"));
    await scheduler.schedule(delivery("d-2"));
    const full = await rejectionOf(scheduler.schedule(delivery("d-3")));
    expect(full).toMatchObject({ code: "QUEUE_FULL" });
    await queue.drain();
    // The count is not taken again within the second…
    expect(await rejectionOf(scheduler.schedule(delivery("d-3")))).toMatchObject({
      code: "QUEUE_FULL",
    });
    clock.advance(1000);
    expect((await scheduler.schedule(delivery("d-3"))).status).toBe(202);
  });

  it("answers 503 SERVICE_UNAVAILABLE while Redis cannot be reached", async () => {
    const { scheduler } = await open();
    await redisServer.server.stop();
    try {
      const refused = await rejectionOf(scheduler.schedule(delivery("d-9")));
      expect(refused).toMatchObject({ code: "SERVICE_UNAVAILABLE" });
    } finally {
      await redisServer.server.start();
    }
  });

  it("reports the queue's depth by state and its oldest waiting job's age, read from Redis when scraped", async () => {
    const clock = createManualClock(systemClock.now());
    const { scheduler, queue, settings, workerConnection } = await open(undefined, clock);
    const metrics = createMetrics({
      events: createDeliveryEvents(),
      inFlight: () => 0,
      queueStats: () => scheduler.stats!(),
    });
    await scheduler.schedule(delivery("d-1"));
    const data = (id: string) => ({ ...delivery(id), origin: "r", observe: [] });
    await queue.add(QUEUE_NAME, data("d-dies"), { jobId: "d-dies", attempts: 1 });
    await scheduler.schedule(delivery("d-2"));
    // BullMQ stamps jobs with the real time: d-3 is queued a little later than d-2.
    await new Promise((resolve) => setTimeout(resolve, 20));
    await scheduler.schedule(delivery("d-3"));
    await queue.add(QUEUE_NAME, data("d-later"), { jobId: "d-later", delay: 60_000 });
    const worker = new Worker(QUEUE_NAME, undefined, {
      connection: workerConnection(),
      prefix: settings.prefix,
      autorun: false,
    });
    try {
      expect((await worker.getNextJob("t-1"))?.id).toBe("d-1");
      const dies = await worker.getNextJob("t-2");
      expect(dies?.id).toBe("d-dies");
      await dies!.moveToFailed(new Error("broke"), "t-2");
      clock.advance(5000);
      const { text } = await metrics.render();
      const line = (name: string) =>
        Number(
          text
            .split("\n")
            .find((each) => each.startsWith(`${name} `))
            ?.split(" ")[1],
        );
      expect(line('hookwright_queue_jobs{state="waiting"}')).toBe(2);
      expect(line('hookwright_queue_jobs{state="active"}')).toBe(1);
      expect(line('hookwright_queue_jobs{state="delayed"}')).toBe(1);
      expect(line('hookwright_queue_jobs{state="failed"}')).toBe(1);
      // d-2 is the oldest waiting job (d-1 and d-dies were taken).
      const queuedAt = (await queue.getJob("d-2"))!.timestamp;
      expect(line("hookwright_queue_oldest_waiting_age_seconds")).toBeCloseTo(
        (clock.now() - queuedAt) / 1000,
        3,
      );
    } finally {
      await worker.close(true);
    }
  });

  it("reports no waiting job as age 0", async () => {
    const { scheduler } = await open();
    expect(await scheduler.stats!()).toEqual({
      waiting: 0,
      active: 0,
      delayed: 0,
      failed: 0,
      oldestWaitingSeconds: 0,
    });
  });
});
