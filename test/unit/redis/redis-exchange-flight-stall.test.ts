import { describe, expect, it } from "@jest/globals";
import type { Redis } from "ioredis";
import type { InstallationToken } from "../../../src/auth/token-store.js";
import { createOutageNotice } from "../../../src/redis/outage-notice.js";
import { createRedisExchangeFlight } from "../../../src/redis/redis-exchange-flight.js";
import { captureLogs } from "../../helpers/capture-logs.js";
import { hasRedisServer, useRedisServer } from "../../helpers/redis-server.js";

const describeRedis = hasRedisServer ? describe : describe.skip;

const token = (value: string): InstallationToken => ({
  token: value,
  expiresAt: "2030-01-01T00:00:00Z",
  installationId: 1,
  permissions: {},
  repositorySelection: "all",
});

/**
 * The connection, but the first call of one of `methods` fails as ioredis fails a command whose answer
 * came while the event loop was held past the command timeout: the command ran in Redis.
 */
function stalledOnce(redis: Redis, methods: readonly string[]): Redis {
  let stalled = false;
  return new Proxy(redis, {
    get(target, property, receiver) {
      const value = Reflect.get(target, property, receiver) as unknown;
      const stalls = typeof property === "string" && methods.includes(property);
      if (!stalls || stalled || typeof value !== "function") return value;
      return async (...args: unknown[]) => {
        stalled = true;
        await (value as (...args: unknown[]) => Promise<unknown>).apply(target, args);
        throw new Error("Command timed out");
      };
    },
  });
}

describeRedis("createRedisExchangeFlight on a process stalled past a command timeout", () => {
  const redisServer = useRedisServer();
  let counter = 0;

  async function open(methods: readonly string[]) {
    const keyPrefix = `stall${++counter}:`;
    const redis = await redisServer.connect();
    const logs = captureLogs();
    const notice = createOutageNotice(logs.logger, "down", "back");
    const flight = createRedisExchangeFlight({
      redis: stalledOnce(redis, methods),
      keyPrefix,
      notice,
      pollMs: 5,
      waitMs: 5000,
    });
    return { redis, flight, lock: `${keyPrefix}k`, logs };
  }

  it("waits for the holder's token, not exchanging a second one, when a poll times out", async () => {
    const { redis, flight, lock, logs } = await open(["get", "exists"]);
    await redis.set(lock, "another process", "PX", 10_000);
    let stored: InstallationToken | undefined;
    // The other process stores its token, then frees its lock, while this one waits.
    setTimeout(() => {
      stored = token("ghs_holders");
      void redis.del(lock);
    }, 50);
    let exchanged = 0;
    const exchange = async () => ((exchanged += 1), token("ghs_mine"));
    expect(await flight.run("k", exchange, async () => stored)).toEqual(token("ghs_holders"));
    expect(exchanged).toBe(0);
    expect(logs.records()).toEqual([]);
  });

  it("knows the lock its timed-out SET took as its own: exchanges once, then frees it", async () => {
    const { redis, flight, lock } = await open(["set"]);
    let exchanged = 0;
    const result = await flight.run(
      "k",
      async () => ((exchanged += 1), token("ghs_mine")),
      async () => undefined,
    );
    expect(result).toEqual(token("ghs_mine"));
    expect(exchanged).toBe(1);
    expect(await redis.exists(lock)).toBe(0);
  });
});
