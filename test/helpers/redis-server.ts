import { spawn, spawnSync, type ChildProcess } from "node:child_process";
import { connect, createServer } from "node:net";
import { afterAll, afterEach, beforeAll } from "@jest/globals";
import type { Redis } from "ioredis";
import { connectRedis, type ConnectRedisOptions } from "../../src/redis/connect-redis.js";
import { captureLogs } from "./capture-logs.js";

/** True when a `redis-server` binary is on PATH (`.ci/run` installs one when it is missing). */
export const hasRedisServer =
  spawnSync("redis-server", ["--version"], { stdio: "ignore" }).status === 0;

export interface RedisServer {
  url: string;
  port: number;
  /** Stops the server (SIGKILL); `start()` brings it back on the same port, empty unless persisted. */
  stop(): Promise<void>;
  start(): Promise<void>;
  /** Freezes the process (SIGSTOP): connections stay open and nothing is answered. */
  pause(): void;
  resume(): void;
}

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once("error", reject);
    server.listen(0, "127.0.0.1", () => {
      const { port } = server.address() as { port: number };
      server.close(() => resolve(port));
    });
  });
}

function accepting(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = connect({ port, host: "127.0.0.1" });
    socket.once("connect", () => (socket.destroy(), resolve(true)));
    socket.once("error", () => resolve(false));
  });
}

/**
 * A throwaway redis-server on a free loopback port, with nothing saved to disk; with
 * `persistDir`, every write is in an append-only file there first, so a stop and a start
 * (a Redis restart, or a crash) keep the data, as a production Redis with AOF would.
 */
export async function startRedisServer(
  options: { persistDir?: string } = {},
): Promise<RedisServer> {
  const port = await freePort();
  let child: ChildProcess | undefined;
  const persistence = options.persistDir
    ? ["--appendonly", "yes", "--appendfsync", "always", "--dir", options.persistDir]
    : ["--appendonly", "no"];
  const start = async () => {
    child = spawn(
      "redis-server",
      ["--port", String(port), "--bind", "127.0.0.1", "--save", "", ...persistence],
      { stdio: "ignore" },
    );
    const giveUpAt = Date.now() + 10_000;
    while (!(await accepting(port))) {
      if (Date.now() > giveUpAt) throw new Error(`redis-server did not start on port ${port}`);
      await new Promise((resolve) => setTimeout(resolve, 20));
    }
  };
  const stop = async () => {
    const running = child;
    child = undefined;
    if (!running || running.exitCode !== null) return;
    const exited = new Promise((resolve) => running.once("exit", resolve));
    running.kill("SIGCONT");
    running.kill("SIGKILL");
    await exited;
  };
  await start();
  return {
    url: `redis://127.0.0.1:${port}`,
    port,
    stop,
    start,
    pause: () => void child?.kill("SIGSTOP"),
    resume: () => void child?.kill("SIGCONT"),
  };
}

/**
 * One redis-server for a describe block, started before its tests and stopped after, and
 * connections to it that are closed after each test (a closed jest run needs none open).
 */
export function useRedisServer() {
  let server: RedisServer | undefined;
  const clients: Redis[] = [];
  beforeAll(async () => {
    server = await startRedisServer();
  });
  afterEach(async () => {
    for (const redis of clients.splice(0)) {
      // QUIT fails at once when the server is down; disconnect() then stops reconnecting.
      await redis.quit().catch(() => undefined);
      redis.disconnect();
    }
  });
  afterAll(async () => {
    await server?.stop();
  });
  return {
    get server(): RedisServer {
      if (!server) throw new Error("useRedisServer: the server starts in beforeAll");
      return server;
    },
    async connect(options: Partial<ConnectRedisOptions> = {}): Promise<Redis> {
      const redis = await connectRedis({
        url: this.server.url,
        logger: captureLogs().logger,
        ...options,
      });
      clients.push(redis);
      return redis;
    },
  };
}
