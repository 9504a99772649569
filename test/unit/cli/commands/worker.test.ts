import { createServer } from "node:net";
import { describe, expect, it } from "@jest/globals";
import request from "supertest";
import { main } from "../../../../src/cli/main.js";
import { hasRedisServer, useRedisServer } from "../../../helpers/redis-server.js";
import { until } from "../../../helpers/wait.js";
import { appEnv, captureIo } from "./capture-io.js";

const describeRedis = hasRedisServer ? describe : describe.skip;

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

describe("hookwright worker", () => {
  it("exits 2 with one line when REDIS_URL is not set: there is no queue to take work from", async () => {
    const io = captureIo(appEnv());
    expect(await main(["worker"], io)).toBe(2);
    expect(io.err().trim().split("\n")).toEqual([
      expect.stringMatching(/^hookwright: REDIS_URL is not set \(or DELIVERY_QUEUE=off\)/),
    ]);
  });

  it("exits 2 naming APP_ID when the app is not configured", async () => {
    const io = captureIo({ REDIS_URL: "redis://127.0.0.1:1" });
    expect(await main(["worker"], io)).toBe(2);
    expect(io.err()).toMatch(/^hookwright: APP_ID is not set/);
  });

  it("exits 2 naming the variable for a bad DELIVERY_QUEUE or REDIS_PREFIX", async () => {
    const queue = captureIo(appEnv("https://api.github.test", { DELIVERY_QUEUE: "maybe" }));
    expect(await main(["worker"], queue)).toBe(2);
    expect(queue.err()).toMatch(/^hookwright: DELIVERY_QUEUE must be "on"/);
    const prefix = captureIo(appEnv("https://api.github.test", { REDIS_PREFIX: "a b" }));
    expect(await main(["worker"], prefix)).toBe(2);
    expect(prefix.err()).toMatch(/^hookwright: REDIS_PREFIX may hold/);
  });
});

describeRedis("hookwright worker with METRICS_PORT", () => {
  const redisServer = useRedisServer();

  it("serves /metrics (with the queue's gauges) on METRICS_PORT, behind METRICS_TOKEN, until shut down", async () => {
    const port = await freePort();
    const token = "worker-metrics-token-0123";
    let shutdown: (() => void) | undefined;
    const io = {
      ...captureIo(
        appEnv("https://api.github.test", {
          REDIS_URL: redisServer.server.url,
          REDIS_PREFIX: `{worker-metrics-${process.pid}}`,
          METRICS_PORT: String(port),
          METRICS_TOKEN: token,
          HOST: "127.0.0.1",
        }),
      ),
      onShutdown: (done: () => void) => void (shutdown = done),
    };
    const exited = main(["worker"], io);
    await until(10_000, "the worker to wait for a signal", () => shutdown !== undefined);
    const url = `http://127.0.0.1:${port}`;
    expect((await request(url).get("/metrics")).status).toBe(401);
    const scraped = await request(url).get("/metrics").set("authorization", `Bearer ${token}`);
    expect(scraped.status).toBe(200);
    expect(scraped.text).toContain('hookwright_queue_jobs{state="waiting"} 0');
    shutdown!();
    expect(await exited).toBe(0);
    const after = await request(url)
      .get("/metrics")
      .then(
        () => "answered",
        () => "closed",
      );
    expect(after).toBe("closed");
  });
});
