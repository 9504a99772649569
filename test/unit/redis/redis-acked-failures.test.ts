import { afterAll, beforeAll, describe, expect, it } from "@jest/globals";
import type { Redis } from "ioredis";
import { connectRedis } from "../../../src/redis/connect-redis.js";
import { createRedisAckedFailures } from "../../../src/redis/redis-acked-failures.js";
import { captureLogs } from "../../helpers/capture-logs.js";
import { hasRedisServer, startRedisServer, type RedisServer } from "../../helpers/redis-server.js";

const describeRedis = hasRedisServer ? describe : describe.skip;
const DAY = 24 * 3_600_000;

describeRedis("createRedisAckedFailures", () => {
  let server: RedisServer;
  let one: Redis;
  let other: Redis;
  beforeAll(async () => {
    server = await startRedisServer();
    const { logger } = captureLogs();
    one = await connectRedis({ url: server.url, logger });
    other = await connectRedis({ url: server.url, logger });
  });
  afterAll(async () => {
    await Promise.all([one.quit(), other.quit()]);
    await server.stop();
  });

  it("shares failures between connections, each with when it failed", async () => {
    const key = "acked:shared";
    const now = Date.now();
    await createRedisAckedFailures({ redis: one, key }).add("d-1", now - 1000);
    await createRedisAckedFailures({ redis: other, key }).add("d-2", now);
    const seen = await createRedisAckedFailures({ redis: other, key }).since(now - 500);
    expect(seen).toEqual(new Map([["d-2", now]]));
  });

  it("drops failures older than GitHub keeps its delivery log", async () => {
    const key = "acked:trim";
    const failures = createRedisAckedFailures({ redis: one, key });
    const now = Date.now();
    await failures.add("ancient", now - 4 * DAY);
    await failures.add("fresh", now);
    expect(await one.zrange(key, 0, -1)).toEqual(["fresh"]);
  });
});
