import { afterEach, describe, expect, it } from "@jest/globals";
import { UnrecoverableError } from "bullmq";
import { failedJobs } from "../../../src/scheduler/failed-jobs.js";
import { createQueueScheduler } from "../../../src/scheduler/queue-scheduler.js";
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

  it("runs a queued delivery once and remembers it completed without a delivery record; the job is gone", async () => {
    const ran: string[] = [];
    const { scheduler, start, redis, settings, queue } = await open(
      async (d) => void ran.push(d.id),
    );
    start();
    await scheduler.schedule(delivery("d-1"));
    await until(5000, "the run", () => ran.length === 1);
    await sleep(200);
    expect(await redis.keys(`${settings.prefix}:delivery:*`)).toEqual([]);
    expect(await queue.getJobState("d-1")).toBe("unknown");
    const remembered = await redis.pttl(`${settings.prefix}:deliveries:de:d-1`);
    expect(remembered).toBeGreaterThan(6 * 24 * 3600_000);
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

  it("gives a dead delivery GitHub redelivers all its attempts again, as `jobs retry` does", async () => {
    const ran: string[] = [];
    const { scheduler, start, seen } = await open(async (d) => {
      ran.push(d.id);
      throw new Error("down");
    }, 2);
    start();
    await scheduler.schedule(delivery("d-1"));
    const deaths = () => seen.filter((event) => event.type === "dead").length;
    await until(15_000, "the first death", () => deaths() === 1);
    expect(ran).toHaveLength(2);
    expect(await scheduler.schedule(delivery("d-1"))).toEqual({
      status: 202,
      body: { status: "queued" },
    });
    await until(15_000, "the second death", () => deaths() === 2);
    expect(ran).toHaveLength(4);
  });

  /** A delivery "d-1" that dies on its one attempt; `fixed()` makes its next runs succeed. */
  async function dead() {
    let fail = true;
    let held: Promise<void> | undefined;
    const ran: string[] = [];
    const harness = await open(async (d) => {
      ran.push(d.id);
      if (fail) throw new Error("down");
      await held;
    }, 1);
    harness.start();
    await harness.scheduler.schedule(delivery("d-1"));
    await until(10_000, "the failed set", () => harness.seen.some((e) => e.type === "dead"));
    const dedup = async () => (await harness.queue.getDeduplicationJobId("d-1")) === null;
    await until(5000, "the dedup key gone", dedup);
    const fixed = (until?: Promise<void>) => {
      fail = false;
      held = until;
    };
    return { ...harness, ran, fixed };
  }

  /** "d-1" and "d-2" dead; `meanwhile` runs between retryAll's look at d-1's state and its retry. */
  async function twoDeadThen(
    meanwhile: (harness: Awaited<ReturnType<typeof dead>>) => Promise<void>,
  ) {
    const harness = await dead();
    const { scheduler, queue, seen } = harness;
    await scheduler.schedule(delivery("d-2"));
    await until(10_000, "d-2 dead", () => seen.filter((e) => e.type === "dead").length === 2);
    const getFailed = queue.getFailed.bind(queue);
    queue.getFailed = async (...args) => {
      const jobs = await getFailed(...args);
      for (const job of jobs) {
        const getState = job.getState.bind(job);
        job.getState = async () => {
          const state = await getState();
          if (job.id === "d-1") await meanwhile(harness);
          return state;
        };
      }
      return jobs;
    };
    return harness;
  }

  it("queues a dead delivery again when GitHub redelivers it after its failed job was removed", async () => {
    const { scheduler, queue, ran, fixed } = await dead();
    await queue.clean(0, 100, "failed");
    expect(await queue.getJobState("d-1")).toBe("unknown");
    fixed();
    expect((await scheduler.schedule(delivery("d-1"))).status).toBe(202);
    await until(10_000, "the second run", () => ran.length === 2);
    await sleep(200);
    expect(await scheduler.schedule(delivery("d-1"))).toEqual({
      status: 200,
      body: { status: "duplicate" },
    });
  });

  it("remembers a delivery completed after `jobs retry` sent it back from the failed set", async () => {
    const { scheduler, queue, ran, fixed } = await dead();
    fixed();
    expect(await failedJobs(queue).retry("d-1")).toBe(true);
    await until(10_000, "the second run", () => ran.length === 2);
    await sleep(200);
    expect((await scheduler.schedule(delivery("d-1"))).status).toBe(200);
    expect(ran).toEqual(["d-1", "d-1"]);
  });

  it("treats a job BullMQ failed for stalling too often (its workers died) as dead: announced, key dropped", async () => {
    const ran: string[] = [];
    const { scheduler, start, queue, redis, settings, seen } = await open(
      async (d) => void ran.push(d.id),
      3,
    );
    await scheduler.schedule(delivery("d-1"));
    // What BullMQ 5's stalled check writes on the last stall it allows: the next worker to take
    // the job fails it with an UnrecoverableError, without running it, one attempt made.
    await redis.hset(
      `${settings.prefix}:deliveries:d-1`,
      "defa",
      "job stalled more than allowable limit",
    );
    start();
    await until(10_000, "the dead event", () => seen.some((event) => event.type === "dead"));
    expect(ran).toEqual([]);
    expect(await queue.getJobState("d-1")).toBe("failed");
    await until(
      5000,
      "the dedup key gone",
      async () => !(await queue.getDeduplicationJobId("d-1")),
    );
    await queue.clean(0, 100, "failed");
    expect((await scheduler.schedule(delivery("d-1"))).status).toBe(202);
    await until(10_000, "the run of the redelivery", () => ran.length === 1);
  });

  it("treats a delivery failed with BullMQ's UnrecoverableError as dead at once", async () => {
    let runs = 0;
    const { scheduler, start, queue, seen } = await open(async () => {
      runs += 1;
      throw new UnrecoverableError("the repository is gone");
    }, 3);
    start();
    await scheduler.schedule(delivery("d-1"));
    await until(10_000, "the dead event", () => seen.some((event) => event.type === "dead"));
    expect(runs).toBe(1);
    expect(seen.find((event) => event.type === "dead")).toMatchObject({ attempts: 1 });
    await until(
      5000,
      "the dedup key gone",
      async () => !(await queue.getDeduplicationJobId("d-1")),
    );
  });

  it("queues a dead delivery GitHub redelivers when its failed job is pruned just after its state was read", async () => {
    const { scheduler, queue, ran, fixed } = await dead();
    fixed();
    const getJob = queue.getJob.bind(queue);
    queue.getJob = async (id) => {
      await queue.clean(0, 100, "failed");
      return getJob(id);
    };
    expect((await scheduler.schedule(delivery("d-1"))).status).toBe(202);
    await until(10_000, "the second run", () => ran.length === 2);
  });

  it("answers 202 queued to two redeliveries of one dead delivery at once, and runs it again once", async () => {
    const { scheduler, queue, events, logs, ran, fixed } = await dead();
    fixed();
    const other = createQueueScheduler({ queue, events, logger: logs.logger, origin: "other" });
    const queued = { status: 202, body: { status: "queued" } };
    expect(
      await Promise.all([scheduler.schedule(delivery("d-1")), other.schedule(delivery("d-1"))]),
    ).toEqual([queued, queued]);
    await until(10_000, "the second run", () => ran.length === 2);
    await sleep(200);
    expect(ran).toEqual(["d-1", "d-1"]);
  });

  it("`jobs retry --all` goes on past a job someone else sent back from the failed set meanwhile", async () => {
    const run = gate();
    // A receiver sends d-1 back (its run held) between retryAll's state check and its retry.
    const { queue, ran, fixed } = await twoDeadThen(async ({ scheduler }) => {
      await scheduler.schedule(delivery("d-1"));
    });
    fixed(run.opened);
    expect((await failedJobs(queue).retryAll()).sort()).toEqual(["d-1", "d-2"]);
    run.open();
    await until(10_000, "both run again", () => ran.length === 4);
    await sleep(200);
    expect(ran.sort()).toEqual(["d-1", "d-1", "d-2", "d-2"]);
  });

  it("`jobs retry --all` goes on past a job sent back, run and removed between its check and its retry", async () => {
    // A receiver sends d-1 back, and a worker completes it (removeOnComplete) before the retry.
    const { queue, ran, fixed } = await twoDeadThen(async ({ scheduler, queue }) => {
      await scheduler.schedule(delivery("d-1"));
      await until(10_000, "d-1 gone", async () => (await queue.getJobState("d-1")) === "unknown");
    });
    fixed();
    // Not an error, and not sent back by this call: it was no longer there to send.
    expect(await failedJobs(queue).retryAll()).toEqual(["d-2"]);
    await until(10_000, "both run again", () => ran.length === 4);
    await sleep(200);
    expect(ran.sort()).toEqual(["d-1", "d-1", "d-2", "d-2"]);
  });

  it("drain hands a delivery still running back to the queue at once, for another worker", async () => {
    const handler = gate();
    const ran: string[] = [];
    const { scheduler, start, queue } = await open(async (d) => {
      ran.push(d.id);
      await handler.opened;
    });
    const worker = start();
    await scheduler.schedule(delivery("d-1"));
    await until(5000, "the run to start", () => ran.length === 1);
    expect(await worker.drain(100)).toEqual(["d-1"]);
    expect(await queue.getJobState("d-1")).toBe("waiting");
    handler.open();
    start();
    await until(5000, "the run on the next worker", () => ran.length === 2);
  });
});
