import { describe, expect, it } from "@jest/globals";
import { createServer, type Server, type Socket } from "node:net";
import { connectRedis, describeRedisUrl } from "../../../src/redis/connect-redis.js";
import { captureLogs } from "../../helpers/capture-logs.js";
import { hasRedisServer, useRedisServer } from "../../helpers/redis-server.js";
import { rejectionOf } from "../../helpers/rejection.js";
import { settledWithin, sleep, until } from "../../helpers/wait.js";

const describeRedis = hasRedisServer ? describe : describe.skip;

/** A TCP server on a free loopback port; `close()` also drops the connections it accepted. */
async function listen(onConnection: (socket: Socket) => void = () => {}) {
  const sockets = new Set<Socket>();
  const server: Server = createServer((socket) => {
    sockets.add(socket);
    onConnection(socket);
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const { port } = server.address() as { port: number };
  const close = () => {
    for (const socket of sockets) socket.destroy();
    return new Promise<void>((resolve) => server.close(() => resolve()));
  };
  return { port, close };
}

/** A loopback port nothing listens on. */
async function freePort(): Promise<number> {
  const { port, close } = await listen();
  await close();
  return port;
}

const warnings = (logs: ReturnType<typeof captureLogs>) =>
  logs.records().filter((record) => record.level === 40);

describe("describeRedisUrl", () => {
  it("drops the user and password, keeping scheme, host, port and db", () => {
    expect(describeRedisUrl("redis://user:hunter2@redis.internal:6380/2")).toBe(
      "redis://redis.internal:6380/2",
    );
    expect(describeRedisUrl("rediss://:hunter2@cache.example.com:6379")).toBe(
      "rediss://cache.example.com:6379",
    );
    expect(describeRedisUrl("redis://127.0.0.1:6379/")).toBe("redis://127.0.0.1:6379");
    expect(describeRedisUrl("redis://[::1]:6379/0")).toBe("redis://[::1]:6379/0");
  });

  it("names no part of a URL it cannot parse", () => {
    expect(describeRedisUrl("hunter2@not a url")).toBe("the configured URL");
  });
});

describe("connectRedis when it cannot connect", () => {
  it("rejects with CONFIG_INVALID naming REDIS_URL, within the connect timeout", async () => {
    const logs = captureLogs();
    const url = `redis://127.0.0.1:${await freePort()}`;
    const started = Date.now();
    const error = await rejectionOf(
      connectRedis({ url, logger: logs.logger, connectTimeoutMs: 1000 }),
      "CONFIG_INVALID",
    );
    expect(Date.now() - started).toBeLessThan(1000);
    expect(error.variable).toBe("REDIS_URL");
    expect(error.message).toMatch(/REDIS_URL/);
    expect(error.message).toContain(url);
  });

  it("never puts the password in the message or the log", async () => {
    const logs = captureLogs();
    const port = await freePort();
    const url = `redis://user:hunter2@127.0.0.1:${port}`;
    const error = await rejectionOf(connectRedis({ url, logger: logs.logger }), "CONFIG_INVALID");
    expect(error.message).toContain(`redis://127.0.0.1:${port}`);
    expect(error.message).not.toContain("hunter2");
    expect(logs.text()).not.toContain("hunter2");
  });

  it("stops trying once it has rejected", async () => {
    let connections = 0;
    const hangUp = await listen((socket) => {
      connections += 1;
      socket.destroy();
    });
    try {
      const url = `redis://127.0.0.1:${hangUp.port}`;
      await rejectionOf(connectRedis({ url, logger: captureLogs().logger }), "CONFIG_INVALID");
      const after = connections;
      await sleep(700);
      expect(connections).toBe(after);
    } finally {
      await hangUp.close();
    }
  });

  it("rejects within the connect timeout when the server accepts but never answers", async () => {
    const silent = await listen();
    try {
      const url = `redis://127.0.0.1:${silent.port}`;
      const connecting = connectRedis({ url, logger: captureLogs().logger, connectTimeoutMs: 300 });
      expect(await settledWithin(2000, connecting)).toBe("rejected");
      await rejectionOf(connecting, "CONFIG_INVALID");
    } finally {
      // Dropping the connection ends a connect that is still waiting.
      await silent.close();
    }
  });
});

describeRedis("connectRedis", () => {
  const redisServer = useRedisServer();

  it("connects, and the connection answers PING", async () => {
    const logs = captureLogs();
    const redis = await redisServer.connect({ logger: logs.logger });
    expect(redis.status).toBe("ready");
    expect(await redis.ping()).toBe("PONG");
    expect(logs.records()).toEqual([]);
  });

  it("warns once per outage, fails commands at once while down, and recovers", async () => {
    const logs = captureLogs();
    const redis = await redisServer.connect({ logger: logs.logger });
    let reconnects = 0;
    redis.on("reconnecting", () => (reconnects += 1));

    await redisServer.server.stop();
    try {
      await until(2000, "the first warning", () => warnings(logs).length > 0);
      expect(warnings(logs)[0]?.msg).toBe("Redis cannot be reached");
      expect(warnings(logs)[0]?.redis).toBe(redisServer.server.url);

      const started = Date.now();
      expect(await settledWithin(1000, redis.get("k"))).toBe("rejected");
      expect(Date.now() - started).toBeLessThan(200);

      await sleep(1000);
      expect(reconnects).toBeGreaterThanOrEqual(3);
      expect(warnings(logs)).toHaveLength(1);
    } finally {
      await redisServer.server.start();
    }

    await until(5000, "reconnecting", () => redis.status === "ready");
    expect(await redis.ping()).toBe("PONG");
    const back = logs.records().filter((record) => record.msg === "Redis reachable again");
    expect(back).toHaveLength(1);
    expect(back[0]?.level).toBe(30);
    expect(warnings(logs)).toHaveLength(1);

    // A second outage is reported again.
    await redisServer.server.stop();
    try {
      await until(2000, "the second warning", () => warnings(logs).length === 2);
    } finally {
      await redisServer.server.start();
    }
    await until(5000, "reconnecting again", () => redis.status === "ready");
  });

  it("fails a command on a Redis that stopped answering, instead of waiting for it", async () => {
    const redis = await redisServer.connect({ commandTimeoutMs: 200 });
    redisServer.server.pause();
    try {
      expect(await settledWithin(1500, redis.set("k", "v"))).toBe("rejected");
    } finally {
      redisServer.server.resume();
    }
  });

  it("says why Redis refused the password, without the password", async () => {
    const admin = await redisServer.connect();
    await admin.config("SET", "requirepass", "right-password");
    try {
      const url = `redis://:wrong-password@127.0.0.1:${redisServer.server.port}`;
      const error = await rejectionOf(
        connectRedis({ url, logger: captureLogs().logger, connectTimeoutMs: 1000 }),
        "CONFIG_INVALID",
      );
      expect(error.message).toMatch(/WRONGPASS|invalid password|NOAUTH/i);
      expect(error.message).not.toContain("wrong-password");
    } finally {
      await admin.config("SET", "requirepass", "");
    }
  });
});
