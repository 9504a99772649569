import { afterEach, describe, expect, it } from "@jest/globals";
import { main } from "../../../../src/cli/main.js";
import { hasRedisServer, useRedisServer } from "../../../helpers/redis-server.js";
import { until } from "../../../helpers/wait.js";
import { delivery, openQueueHarness } from "../../scheduler/queue-harness.js";
import { appEnv, captureIo } from "./capture-io.js";

const describeRedis = hasRedisServer ? describe : describe.skip;

describe("hookwright jobs without REDIS_URL", () => {
  it("exits 2 with one line naming REDIS_URL", async () => {
    const io = captureIo(appEnv());
    expect(await main(["jobs", "failed"], io)).toBe(2);
    expect(io.err()).toMatch(/^hookwright: REDIS_URL is not set/);
    expect(io.err().trim().split("\n")).toHaveLength(1);
  });
});

describeRedis("hookwright jobs", () => {
  const redisServer = useRedisServer();
  let close: (() => Promise<unknown>)[] = [];
  afterEach(async () => {
    for (const each of close.reverse()) await each();
    close = [];
  });

  /** Two deliveries that failed their only attempt, in the failed set of a fresh prefix. */
  async function twoDead() {
    const harness = await openQueueHarness(
      redisServer,
      async () => {
        throw new Error("GitHub answered 502");
      },
      { attempts: 1 },
    );
    close.push(harness.close);
    const scheduler = harness.scheduler();
    const worker = harness.startWorker();
    await scheduler.schedule(delivery("d-1"));
    await scheduler.schedule(delivery("d-2"));
    await until(
      10_000,
      "both to fail",
      () => harness.seen.filter((e) => e.type === "dead").length === 2,
    );
    await worker.drain(0);
    const env = appEnv("http://127.0.0.1:1", {
      REDIS_URL: redisServer.server.url,
      REDIS_PREFIX: harness.settings.prefix,
    });
    return { harness, env };
  }

  it("lists the failed set: id, event, attempts, when and why, one line each", async () => {
    const { env } = await twoDead();
    const io = captureIo(env);
    expect(await main(["jobs", "failed"], io)).toBe(0);
    const lines = io.out().trim().split("\n").sort();
    expect(lines).toHaveLength(2);
    expect(lines[0]).toMatch(
      /^d-1\tissues\.opened\t1 attempts\t\d{4}-\d\d-\d\dT.*Z\tGitHub answered 502$/,
    );
    expect(io.err()).toBe("2 failed deliveries\n");
  });

  it("retries one by id, or all, with fresh attempts; an unknown id exits 2", async () => {
    const { env, harness } = await twoDead();
    const one = captureIo(env);
    expect(await main(["jobs", "retry", "d-1"], one)).toBe(0);
    expect(one.out()).toBe("d-1\n");
    expect(await harness.queue.getJobState("d-1")).toBe("waiting");
    expect(await harness.queue.getJobState("d-2")).toBe("failed");
    const all = captureIo(env);
    expect(await main(["jobs", "retry", "--all"], all)).toBe(0);
    expect(all.out()).toBe("d-2\n");
    expect(await harness.queue.getJobState("d-2")).toBe("waiting");
    const unknown = captureIo(env);
    expect(await main(["jobs", "retry", "nope"], unknown)).toBe(2);
    expect(unknown.err()).toMatch(/^hookwright: no failed job with id nope/);
    const neither = captureIo(env);
    expect(await main(["jobs", "retry"], neither)).toBe(2);
  });
});
