import { describe, expect, it } from "@jest/globals";
import { createRedisAckedFailures } from "../../../src/redis/redis-acked-failures.js";
import { hasRedisServer, useRedisServer } from "../../helpers/redis-server.js";

const describeRedis = hasRedisServer ? describe : describe.skip;
const DAY = 24 * 3_600_000;

describeRedis("createRedisAckedFailures", () => {
  const redisServer = useRedisServer();

  it("shares failures between connections, each with when it failed", async () => {
    const key = "acked:shared";
    const now = Date.now();
    await createRedisAckedFailures({ redis: await redisServer.connect(), key }).add(
      "d-1",
      now - 1000,
    );
    const other = createRedisAckedFailures({ redis: await redisServer.connect(), key });
    await other.add("d-2", now);
    const seen = await other.since(now - 500);
    expect(seen).toEqual(new Map([["d-2", now]]));
  });

  it("drops failures older than GitHub keeps its delivery log", async () => {
    const key = "acked:trim";
    const redis = await redisServer.connect();
    const failures = createRedisAckedFailures({ redis, key });
    const now = Date.now();
    await failures.add("ancient", now - 4 * DAY);
    await failures.add("fresh", now);
    expect(await redis.zrange(key, 0, -1)).toEqual(["fresh"]);
  });
});
