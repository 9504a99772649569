import { mkdtempSync, readFileSync, statSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, afterEach, beforeAll, describe, expect, it } from "@jest/globals";
import type { FakeGitHub } from "../helpers/fake-github/index.js";
import { hasRedisServer, startRedisServer, type RedisServer } from "../helpers/redis-server.js";
import { killChildren, runCli, startCli } from "./cli-helpers.js";
import {
  countingEnv,
  oneInstallationGitHub,
  issueOpened,
  post,
  readRuns,
} from "./delivery-runs.js";
import { until } from "../helpers/wait.js";

const SECRET = "e2e-drain-secret-77a1c0";
const describeRedis = hasRedisServer ? describe : describe.skip;

let github: FakeGitHub;
let apiUrl: string;
beforeAll(async () => {
  github = oneInstallationGitHub();
  apiUrl = await github.listen();
});
afterEach(() => killChildren());
afterAll(() => github.close());

function environment(extra: Record<string, string>) {
  const dir = mkdtempSync(join(tmpdir(), "hookwright-drain-"));
  return {
    dir,
    env: countingEnv(apiUrl, SECRET, dir, extra),
  };
}

async function listening(cli: ReturnType<typeof startCli>) {
  return (await cli.waitFor((line) => line.msg === "listening")).port;
}

describe("SIGTERM without Redis, a delivery answered 202 still running past the drain", () => {
  it("journals it (mode 600), and `redeliver --dry-run` lists it after the restart", async () => {
    const { dir, env } = environment({
      RUN_MS: "5000",
      WEBHOOK_DEADLINE_MS: "200",
      SHUTDOWN_DRAIN_MS: "300",
    });
    const server = startCli(env);
    const port = await listening(server);
    const delivery = issueOpened(SECRET, 1);
    const sentAt = new Date().toISOString();
    expect((await post(port, delivery)).status).toBe(202);
    server.child.kill("SIGTERM");
    expect(await server.exited).toBe(0);
    expect(readRuns(env.RUNS_FILE).ends.size).toBe(0);
    const journal = join(env.DATA_DIR, "journal.json");
    expect(Object.keys(JSON.parse(readFileSync(journal, "utf8")) as object)).toEqual([delivery.id]);
    expect(statSync(journal).mode & 0o777).toBe(0o600);
    // GitHub saw the 202 and logged the delivery as a success: only the journal knows better.
    github.hookDeliveries.push({
      id: 9001,
      guid: delivery.id,
      deliveredAt: sentAt,
      statusCode: 202,
      event: "issues",
      action: "opened",
    });
    const listed = await runCli(["redeliver", "--dry-run"], env, { cwd: dir });
    expect(listed.code).toBe(0);
    expect(listed.stdout).toContain(`would redeliver ${delivery.id} issues.opened`);
    // The next start asks GitHub for it again by itself.
    const restarted = startCli(env);
    await listening(restarted);
    const asked = () =>
      github.calls.some(
        (call) => call.method === "POST" && call.path === "/app/hook/deliveries/9001/attempts",
      );
    await until(10_000, "the restarted server to ask for a redelivery", asked);
  }, 30_000);
});

describeRedis("with Redis", () => {
  let redis: RedisServer;
  beforeAll(async () => {
    redis = await startRedisServer();
  });
  afterAll(() => redis.stop());

  it("SIGTERM hands a queued delivery still running back to the queue, and another worker runs it", async () => {
    const prefix = `{d${Date.now()}}`;
    const { env } = environment({
      REDIS_URL: redis.url,
      REDIS_PREFIX: prefix,
      WORKERS: "1",
      RUN_MS: "5000",
      SHUTDOWN_DRAIN_MS: "300",
    });
    const first = startCli(env);
    const port = await listening(first);
    const delivery = issueOpened(SECRET, 1);
    expect((await post(port, delivery)).status).toBe(202);
    await until(10_000, "the run to start", () => readRuns(env.RUNS_FILE).starts.has(delivery.id));
    first.child.kill("SIGTERM");
    expect(await first.exited).toBe(0);
    const second = startCli({ ...env, RUN_MS: "0" }, ["worker"]);
    await until(15_000, "the run to end", () => readRuns(env.RUNS_FILE).ends.has(delivery.id));
    const { starts, ends } = readRuns(env.RUNS_FILE);
    expect(starts.get(delivery.id)).toEqual([first.child.pid, second.child.pid]);
    expect(ends.get(delivery.id)).toEqual([second.child.pid]);
  }, 40_000);

  it("kill -9 mid-handler (DELIVERY_QUEUE=off): 503 until the lease lapses, then the redelivery runs", async () => {
    const { env } = environment({
      REDIS_URL: redis.url,
      REDIS_PREFIX: `{k${Date.now()}}`,
      DELIVERY_QUEUE: "off",
      DELIVERY_LEASE_MS: "3000",
      WEBHOOK_DEADLINE_MS: "200",
      RUN_MS: "60000",
    });
    const doomed = startCli(env);
    const delivery = issueOpened(SECRET, 1);
    expect((await post(await listening(doomed), delivery)).status).toBe(202);
    await until(10_000, "the run to start", () => readRuns(env.RUNS_FILE).starts.has(delivery.id));
    doomed.child.kill("SIGKILL");
    await doomed.exited;
    const killedAt = Date.now();
    const survivor = startCli({ ...env, RUN_MS: "0" });
    const port = await listening(survivor);
    const within = await post(port, delivery);
    // Nobody runs it now: a 202 here would let GitHub count it delivered.
    if (Date.now() - killedAt < 2500) {
      expect(within.status).toBe(503);
      expect(await within.json()).toMatchObject({ error: { code: "DELIVERY_IN_PROGRESS" } });
    }
    await new Promise((resolve) => setTimeout(resolve, Math.max(0, killedAt + 3500 - Date.now())));
    const after = await post(port, delivery);
    expect(after.status).toBe(200);
    expect(readRuns(env.RUNS_FILE).ends.get(delivery.id)).toEqual([survivor.child.pid]);
  }, 40_000);
});
