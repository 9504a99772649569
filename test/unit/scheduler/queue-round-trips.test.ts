import { afterEach, describe, expect, it } from "@jest/globals";
import type { Redis } from "ioredis";
import type { Delivery } from "../../../src/webhooks/parse-delivery.js";
import { hasRedisServer, useRedisServer } from "../../helpers/redis-server.js";
import { gate, sleep, until } from "../../helpers/wait.js";
import { delivery, openQueueHarness } from "./queue-harness.js";

const describeRedis = hasRedisServer ? describe : describe.skip;

/** Commands clients send while MONITOR listens (those scripts run inside Redis left out). */
async function watchCommands(redis: Redis) {
  const monitor = await redis.monitor();
  const sent: string[][] = [];
  monitor.on("monitor", (_time: string, args: string[], source: string) => {
    if (source !== "lua") sent.push(args);
  });
  return {
    sent,
    /** MONITOR echoes in order: our ECHO seen back means every command before it was counted. */
    async settle() {
      const marker = `settle-${Math.random()}`;
      await redis.echo(marker);
      await until(5000, "the monitor to catch up", () => sent.some((args) => args[1] === marker));
      return sent.filter((args) => args[0] !== "echo");
    },
    stop: () => monitor.disconnect(),
  };
}

describeRedis("the queue's Redis round trips per delivery", () => {
  const redisServer = useRedisServer();
  const cleanups: (() => Promise<unknown> | void)[] = [];
  afterEach(async () => {
    for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
  });

  async function open(dispatch: (delivery: Delivery) => Promise<void>) {
    // A long lease keeps BullMQ's lock renewals and stalled checks out of the counts.
    const harness = await openQueueHarness(redisServer, dispatch, { leaseMs: 60_000 });
    cleanups.push(harness.close);
    const watch = await watchCommands(await redisServer.connect());
    cleanups.push(watch.stop);
    return { ...harness, watch, scheduler: harness.scheduler() };
  }

  it("a receiver sends 2 commands per new delivery, at once (one wait), by SHA; a worker 1 per job", async () => {
    const hold = gate();
    const ran: string[] = [];
    const { scheduler, watch, startWorker } = await open(async (d) => {
      ran.push(d.id);
      if (d.id === "hold") await hold.opened;
    });
    startWorker(1);
    await scheduler.schedule(delivery("warm-up"));
    await until(5000, "the warm-up", () => ran.length === 1);
    await scheduler.schedule(delivery("hold"));
    await until(5000, "the held run", () => ran.length === 2);
    await watch.settle();
    watch.sent.length = 0;
    const count = 40;
    for (let index = 0; index < count; index += 1) {
      expect(await scheduler.schedule(delivery(`d-${index}`))).toEqual({
        status: 202,
        body: { status: "queued" },
      });
    }
    const received = await watch.settle();
    expect(received.length).toBe(2 * count);
    expect(received.every((args) => args[0] === "evalsha")).toBe(true);

    watch.sent.length = 0;
    hold.open();
    await until(10_000, "every run", () => ran.length === count + 2);
    await sleep(100);
    const worked = await watch.settle();
    // One call per job, finishing it and taking the next (the held one's included); then, the
    // queue empty, the worker blocks for a job (BZPOPMIN, a MOVETOACTIVE that finds none, …).
    expect(worked.length).toBeGreaterThanOrEqual(count + 1);
    expect(worked.length).toBeLessThanOrEqual(count + 4);
    expect(worked.filter((args) => args[0] === "eval")).toEqual([]);
  });

  it("answers 200 duplicate for a completed delivery with one wait, and queues it no more", async () => {
    const ran: string[] = [];
    const { scheduler, watch, startWorker, queue } = await open(async (d) => void ran.push(d.id));
    startWorker(1);
    await scheduler.schedule(delivery("d-1"));
    await until(5000, "the run", () => ran.length === 1);
    await sleep(100);
    await watch.settle();
    watch.sent.length = 0;
    expect(await scheduler.schedule(delivery("d-1"))).toEqual({
      status: 200,
      body: { status: "duplicate" },
    });
    expect((await watch.settle()).length).toBe(2);
    await sleep(200);
    expect(ran).toEqual(["d-1"]);
    expect(await queue.getJobState("d-1")).toBe("unknown");
  });

  it("answers 202 queued for a delivery a worker is running, and runs it once", async () => {
    const handler = gate();
    const ran: string[] = [];
    const { scheduler, startWorker } = await open(async (d) => {
      ran.push(d.id);
      await handler.opened;
    });
    startWorker(2);
    await scheduler.schedule(delivery("d-1"));
    await until(5000, "the run to start", () => ran.length === 1);
    expect(await scheduler.schedule(delivery("d-1"))).toEqual({
      status: 202,
      body: { status: "queued" },
    });
    handler.open();
    await sleep(300);
    expect(ran).toEqual(["d-1"]);
    expect((await scheduler.schedule(delivery("d-1"))).status).toBe(200);
  });
});
