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
    expect(await records.begin("d-1")).toBe("started");
    expect(await records.begin("d-1")).toBe("running");
    expect(await records.begin("d-2")).toBe("started");
    expect(await redis.get(`${keyPrefix}d-1`)).toMatch(/^running:/);
  });

  it("answers completed for a delivery that finished", async () => {
    const { records } = await open();
    await records.begin("d-1");
    await records.finish("d-1", "completed");
    expect(await records.begin("d-1")).toBe("completed");
    expect(await records.begin("d-1")).toBe("completed");
  });

  it("starts a failed delivery again", async () => {
    const { records, redis, keyPrefix } = await open();
    await records.begin("d-1");
    await records.finish("d-1", "failed");
    expect(await redis.exists(`${keyPrefix}d-1`)).toBe(0);
    expect(await records.begin("d-1")).toBe("started");
    expect(await records.begin("d-1")).toBe("running");
  });

  it("shares records between two connections with the same keyPrefix", async () => {
    const one = await open();
    const two = await open({ keyPrefix: one.keyPrefix });
    expect(await one.records.begin("d-1")).toBe("started");
    expect(await two.records.begin("d-1")).toBe("running");
    await two.records.finish("d-1", "completed");
    expect(await one.records.begin("d-1")).toBe("completed");
    expect(await two.records.begin("d-2")).toBe("started");
    await two.records.finish("d-2", "failed");
    expect(await one.records.begin("d-2")).toBe("started");
  });

  it("does not let a lapsed run's late failure erase the run that took over", async () => {
    const slow = await open({ runningTtlMs: 100 });
    const other = await open({ keyPrefix: slow.keyPrefix });
    expect(await slow.records.begin("d-1")).toBe("started");
    await sleep(200);
    expect(await other.records.begin("d-1")).toBe("started");
    await slow.records.finish("d-1", "failed");
    expect(await slow.redis.get(`${slow.keyPrefix}d-1`)).toMatch(/^running:/);
    expect(await slow.records.begin("d-1")).toBe("running");
  });

  it("starts a delivery begun 20 times at once, on two connections, exactly once", async () => {
    const one = await open();
    const two = await open({ keyPrefix: one.keyPrefix });
    const results = await Promise.all(
      Array.from({ length: 20 }, (_, i) => (i % 2 === 0 ? one : two).records.begin("d-race")),
    );
    expect(results.filter((result) => result === "started")).toHaveLength(1);
    expect(results.filter((result) => result === "running")).toHaveLength(19);
  });

  it("lets a running record lapse after runningTtlMs, so the delivery starts again", async () => {
    const { records, redis, keyPrefix } = await open({ runningTtlMs: 100 });
    expect(await records.begin("d-1")).toBe("started");
    const pttl = await redis.pttl(`${keyPrefix}d-1`);
    expect(pttl).toBeGreaterThan(0);
    expect(pttl).toBeLessThanOrEqual(100);
    expect(await records.begin("d-1")).toBe("running");
    await sleep(200);
    expect(await records.begin("d-1")).toBe("started");
  });

  it("remembers a completed delivery for completedTtlMs", async () => {
    const { records, redis, keyPrefix } = await open({ runningTtlMs: 100, completedTtlMs: 60_000 });
    await records.begin("d-1");
    await records.finish("d-1", "completed");
    const pttl = await redis.pttl(`${keyPrefix}d-1`);
    expect(pttl).toBeGreaterThan(0);
    expect(pttl).toBeLessThanOrEqual(60_000);
    // The completed record no longer lapses with the running ttl.
    await sleep(200);
    expect(await records.begin("d-1")).toBe("completed");
  });

  it("keeps records 15 minutes running and 7 days completed by default", async () => {
    const { records, redis, keyPrefix } = await open();
    await records.begin("d-1");
    const running = await redis.pttl(`${keyPrefix}d-1`);
    expect(running).toBeGreaterThan(14 * 60_000);
    expect(running).toBeLessThanOrEqual(15 * 60_000);
    await records.finish("d-1", "completed");
    const completed = await redis.pttl(`${keyPrefix}d-1`);
    expect(completed).toBeGreaterThan(7 * 86_400_000 - 60_000);
    expect(completed).toBeLessThanOrEqual(7 * 86_400_000);
  });

  it("uses hookwright:delivery: as the default keyPrefix", async () => {
    const redis = await connect();
    const records = createRedisDeliveryRecords({ redis });
    expect(await records.begin("d-default")).toBe("started");
    expect(await redis.get("hookwright:delivery:d-default")).toMatch(/^running:/);
    await redis.del("hookwright:delivery:d-default");
  });

  it("rejects begin at once while Redis is down, and works again once it is back", async () => {
    const { records, redis } = await open();
    await redisServer.server.stop();
    try {
      const started = Date.now();
      expect(await settledWithin(2000, records.begin("d-1"))).toBe("rejected");
      expect(Date.now() - started).toBeLessThan(2000);
      expect(await settledWithin(2000, records.begin("d-2"))).toBe("rejected");
    } finally {
      await redisServer.server.start();
    }
    await until(5000, "reconnecting", () => redis.status === "ready");
    expect(await records.begin("d-1")).toBe("started");
  });
});
