import { describe, expect, it } from "@jest/globals";
import {
  createRedisDeliveryRecords,
  type RedisDeliveryRecordsOptions,
} from "../../../src/redis/redis-delivery-records.js";
import { hasRedisServer, useRedisServer } from "../../helpers/redis-server.js";
import { settledWithin, sleep, until } from "../../helpers/wait.js";

const describeRedis = hasRedisServer ? describe : describe.skip;

describeRedis("createRedisDeliveryRecords", () => {
  const redisServer = useRedisServer();
  const connect = () => redisServer.connect();
  let counter = 0;

  /** Records on a new connection; `keyPrefix` defaults to one no other test uses. */
  async function open(options: Partial<RedisDeliveryRecordsOptions> = {}) {
    const keyPrefix = options.keyPrefix ?? `test:delivery:${++counter}:`;
    const redis = await connect();
    const records = createRedisDeliveryRecords({ ...options, redis, keyPrefix });
    return { records, redis, keyPrefix };
  }

  it("starts a new delivery once; the same delivery is then running", async () => {
    const { records, redis, keyPrefix } = await open();
    expect(await records.begin("d-1", "one")).toBe("started");
    expect(await records.begin("d-1", "two")).toBe("running");
    expect(await records.begin("d-2", "two")).toBe("started");
    expect(await redis.get(`${keyPrefix}d-1`)).toBe("running:one");
  });

  it("answers completed for a delivery that finished", async () => {
    const { records } = await open();
    await records.begin("d-1", "one");
    await records.finish("d-1", "one", "completed");
    expect(await records.begin("d-1", "two")).toBe("completed");
    expect(await records.begin("d-1", "three")).toBe("completed");
    expect(await records.isCompleted("d-1")).toBe(true);
    expect(await records.isCompleted("d-2")).toBe(false);
  });

  it.each(["failed", "released"] as const)("starts a %s delivery again", async (outcome) => {
    const { records, redis, keyPrefix } = await open();
    await records.begin("d-1", "one");
    await records.finish("d-1", "one", outcome);
    expect(await redis.exists(`${keyPrefix}d-1`)).toBe(0);
    expect(await records.isCompleted("d-1")).toBe(false);
    expect(await records.begin("d-1", "two")).toBe("started");
    expect(await records.begin("d-1", "three")).toBe("running");
  });

  it("shares records between two connections with the same keyPrefix", async () => {
    const one = await open();
    const two = await open({ keyPrefix: one.keyPrefix });
    expect(await one.records.begin("d-1", "one")).toBe("started");
    expect(await two.records.begin("d-1", "two")).toBe("running");
    await two.records.finish("d-1", "two", "completed");
    expect(await one.records.begin("d-1", "one")).toBe("completed");
    expect(await two.records.begin("d-2", "two")).toBe("started");
    await two.records.finish("d-2", "two", "failed");
    expect(await one.records.begin("d-2", "one")).toBe("started");
  });

  it("does not let a lapsed run's late failure erase the run that took over", async () => {
    const slow = await open({ leaseMs: 100 });
    const other = await open({ keyPrefix: slow.keyPrefix, leaseMs: 60_000 });
    expect(await slow.records.begin("d-1", "slow")).toBe("started");
    await sleep(200);
    expect(await other.records.begin("d-1", "other")).toBe("started");
    await slow.records.finish("d-1", "slow", "failed");
    await slow.records.finish("d-1", "slow", "released");
    expect(await slow.redis.get(`${slow.keyPrefix}d-1`)).toBe("running:other");
    expect(await slow.records.begin("d-1", "slow")).toBe("running");
  });

  it("does not free a record another owner holds when finished as failed", async () => {
    const { records, redis, keyPrefix } = await open();
    await records.begin("d-1", "one");
    await records.finish("d-1", "two", "failed");
    expect(await redis.get(`${keyPrefix}d-1`)).toBe("running:one");
    expect(await records.begin("d-1", "three")).toBe("running");
  });

  it("starts a delivery begun 20 times at once, on two connections, exactly once", async () => {
    const one = await open();
    const two = await open({ keyPrefix: one.keyPrefix });
    const results = await Promise.all(
      Array.from({ length: 20 }, (_, i) =>
        (i % 2 === 0 ? one : two).records.begin("d-race", `owner-${i}`),
      ),
    );
    expect(results.filter((result) => result === "started")).toHaveLength(1);
    expect(results.filter((result) => result === "running")).toHaveLength(19);
  });

  it("lets a lease lapse after leaseMs without renewal, so the delivery starts again", async () => {
    const { records, redis, keyPrefix } = await open({ leaseMs: 100 });
    expect(records.leaseMs).toBe(100);
    expect(await records.begin("d-1", "one")).toBe("started");
    const pttl = await redis.pttl(`${keyPrefix}d-1`);
    expect(pttl).toBeGreaterThan(0);
    expect(pttl).toBeLessThanOrEqual(100);
    expect(await records.begin("d-1", "two")).toBe("running");
    await sleep(200);
    expect(await records.begin("d-1", "two")).toBe("started");
  });

  it("renews a lease while its owner holds it, and not for another owner or once lapsed", async () => {
    const { records, redis, keyPrefix } = await open({ leaseMs: 600 });
    await records.begin("d-1", "one");
    await sleep(300);
    expect(await records.renew("d-1", "one")).toBe(true);
    expect(await redis.pttl(`${keyPrefix}d-1`)).toBeGreaterThan(450);
    // Past the first lease, still held thanks to the renewal.
    await sleep(400);
    expect(await records.begin("d-1", "two")).toBe("running");
    expect(await records.renew("d-1", "two")).toBe(false);
    expect(await redis.get(`${keyPrefix}d-1`)).toBe("running:one");
    await sleep(700);
    expect(await records.renew("d-1", "one")).toBe(false);
    expect(await redis.exists(`${keyPrefix}d-1`)).toBe(0);
  });

  it("does not renew a completed delivery", async () => {
    const { records, redis, keyPrefix } = await open({ completedTtlMs: 60_000 });
    await records.begin("d-1", "one");
    await records.finish("d-1", "one", "completed");
    expect(await records.renew("d-1", "one")).toBe(false);
    expect(await redis.get(`${keyPrefix}d-1`)).toBe("completed");
  });

  it("remembers a completed delivery for completedTtlMs", async () => {
    const { records, redis, keyPrefix } = await open({ leaseMs: 100, completedTtlMs: 60_000 });
    await records.begin("d-1", "one");
    await records.finish("d-1", "one", "completed");
    const pttl = await redis.pttl(`${keyPrefix}d-1`);
    expect(pttl).toBeGreaterThan(0);
    expect(pttl).toBeLessThanOrEqual(60_000);
    // The completed record no longer lapses with the lease.
    await sleep(200);
    expect(await records.begin("d-1", "two")).toBe("completed");
  });

  it("leases for 15 seconds and keeps completed records 7 days by default", async () => {
    const { records, redis, keyPrefix } = await open();
    expect(records.leaseMs).toBe(15_000);
    await records.begin("d-1", "one");
    const running = await redis.pttl(`${keyPrefix}d-1`);
    expect(running).toBeGreaterThan(14_000);
    expect(running).toBeLessThanOrEqual(15_000);
    await records.finish("d-1", "one", "completed");
    const completed = await redis.pttl(`${keyPrefix}d-1`);
    expect(completed).toBeGreaterThan(7 * 86_400_000 - 60_000);
    expect(completed).toBeLessThanOrEqual(7 * 86_400_000);
  });

  it("uses hookwright:delivery: as the default keyPrefix", async () => {
    const redis = await connect();
    const records = createRedisDeliveryRecords({ redis });
    expect(await records.begin("d-default", "one")).toBe("started");
    expect(await redis.get("hookwright:delivery:d-default")).toBe("running:one");
    await redis.del("hookwright:delivery:d-default");
  });

  it("rejects begin at once while Redis is down, and works again once it is back", async () => {
    const { records, redis } = await open();
    await redisServer.server.stop();
    try {
      const started = Date.now();
      expect(await settledWithin(2000, records.begin("d-1", "one"))).toBe("rejected");
      expect(Date.now() - started).toBeLessThan(2000);
      expect(await settledWithin(2000, records.begin("d-2", "one"))).toBe("rejected");
    } finally {
      await redisServer.server.start();
    }
    await until(5000, "reconnecting", () => redis.status === "ready");
    expect(await records.begin("d-1", "one")).toBe("started");
  });
});
