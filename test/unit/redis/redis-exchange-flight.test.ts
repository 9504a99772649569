import { describe, expect, it } from "@jest/globals";
import type { InstallationToken } from "../../../src/auth/token-store.js";
import { createOutageNotice } from "../../../src/redis/outage-notice.js";
import { createRedisExchangeFlight } from "../../../src/redis/redis-exchange-flight.js";
import { captureLogs } from "../../helpers/capture-logs.js";
import { hasRedisServer, useRedisServer } from "../../helpers/redis-server.js";
import { until } from "../../helpers/wait.js";

const describeRedis = hasRedisServer ? describe : describe.skip;

function token(value: string): InstallationToken {
  return {
    token: value,
    expiresAt: "2030-01-01T00:00:00Z",
    installationId: 1,
    permissions: {},
    repositorySelection: "all",
  };
}

describeRedis("createRedisExchangeFlight", () => {
  const redisServer = useRedisServer();
  let counter = 0;

  async function open(options: { waitMs?: number; lockTtlMs?: number } = {}) {
    const keyPrefix = `lock${++counter}:`;
    const logs = captureLogs();
    const redis = await redisServer.connect();
    const notice = createOutageNotice(logs.logger, "down", "back");
    const flight = createRedisExchangeFlight({ redis, keyPrefix, notice, pollMs: 5, ...options });
    return { redis, flight, keyPrefix, logs };
  }

  it("holds the lock, with its TTL, only while exchanging", async () => {
    const { redis, flight, keyPrefix } = await open({ lockTtlMs: 4000 });
    let during: [string | null, number] | undefined;
    const result = await flight.run(
      "k",
      async () => {
        during = [await redis.get(`${keyPrefix}k`), await redis.pttl(`${keyPrefix}k`)];
        return token("ghs_1");
      },
      async () => undefined,
    );
    expect(result).toEqual(token("ghs_1"));
    expect(during?.[0]).toMatch(/^[0-9a-f-]{36}$/);
    expect(during?.[1]).toBeGreaterThan(3000);
    expect(await redis.exists(`${keyPrefix}k`)).toBe(0);
  });

  it("frees the lock when the exchange fails, and the next caller exchanges", async () => {
    const { redis, flight, keyPrefix } = await open();
    const failure = new Error("GitHub said no");
    await expect(
      flight.run(
        "k",
        async () => {
          throw failure;
        },
        async () => undefined,
      ),
    ).rejects.toBe(failure);
    expect(await redis.exists(`${keyPrefix}k`)).toBe(0);
    await expect(
      flight.run(
        "k",
        async () => token("ghs_2"),
        async () => undefined,
      ),
    ).resolves.toEqual(token("ghs_2"));
  });

  it("leaves a lock another process took after ours lapsed", async () => {
    const { redis, flight, keyPrefix } = await open({ lockTtlMs: 50 });
    await flight.run(
      "k",
      async () => {
        await new Promise((resolve) => setTimeout(resolve, 120));
        await redis.set(`${keyPrefix}k`, "someone-else", "PX", 10_000);
        return token("ghs_3");
      },
      async () => undefined,
    );
    expect(await redis.get(`${keyPrefix}k`)).toBe("someone-else");
  });

  it("takes the token the holder stored instead of exchanging, once the lock is gone", async () => {
    const { redis, flight, keyPrefix } = await open({ waitMs: 5000 });
    await redis.set(`${keyPrefix}k`, "holder", "PX", 10_000);
    const holder: { stored?: InstallationToken } = {};
    let exchanged = 0;
    const running = flight.run(
      "k",
      async () => ((exchanged += 1), token("ghs_mine")),
      async () => holder.stored,
    );
    await new Promise((resolve) => setTimeout(resolve, 50));
    holder.stored = token("ghs_holders");
    await redis.del(`${keyPrefix}k`);
    expect(await running).toEqual(token("ghs_holders"));
    expect(exchanged).toBe(0);
  });

  it("exchanges at once, warning once, while Redis is down", async () => {
    const { redis, flight, logs } = await open({ waitMs: 60_000 });
    await redisServer.server.stop();
    try {
      for (const value of ["ghs_a", "ghs_b"]) {
        await expect(
          flight.run(
            "k",
            async () => token(value),
            async () => undefined,
          ),
        ).resolves.toEqual(token(value));
      }
      expect(logs.records().map((record) => record.msg)).toEqual(["down"]);
    } finally {
      await redisServer.server.start();
    }
    // Closing a connection halfway through reconnecting can leave it open past the test.
    await until(5000, "reconnecting", () => redis.status === "ready");
  });
});
