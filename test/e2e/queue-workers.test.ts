import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, afterEach, beforeAll, describe, expect, it } from "@jest/globals";
import { createFakeGitHub, type FakeGitHub } from "../helpers/fake-github/index.js";
import { testKeys } from "../helpers/keys.js";
import { hasRedisServer, startRedisServer, type RedisServer } from "../helpers/redis-server.js";
import { APP_ID, appEnv, killChildren, startCli, type RunningCli } from "./cli-helpers.js";
import { COUNT_PLUGIN, issueOpened, post, readRuns, sendAll } from "./delivery-runs.js";
import { until } from "../helpers/wait.js";

const SECRET = "e2e-queue-secret-8d2f41";
const INSTALLATIONS = 20;
const describeRedis = hasRedisServer ? describe : describe.skip;

describeRedis("2 receivers and 2 workers on one Redis (BullMQ)", () => {
  let redis: RedisServer;
  let github: FakeGitHub;
  let dir: string;
  let apiUrl: string;
  beforeAll(async () => {
    redis = await startRedisServer();
    github = createFakeGitHub({
      appId: APP_ID,
      publicKey: testKeys().publicKey,
      installations: Array.from({ length: INSTALLATIONS }, (_, index) => ({
        id: index + 1,
        account: { login: `org${index + 1}` },
        repositories: [`org${index + 1}/repo`],
      })),
    });
    apiUrl = await github.listen();
  });
  afterEach(() => killChildren());
  afterAll(async () => {
    await github.close();
    await redis.stop();
  });

  async function start(extra: Record<string, string> = {}) {
    dir = mkdtempSync(join(tmpdir(), "hookwright-queue-"));
    const env = {
      ...appEnv(apiUrl),
      WEBHOOK_SECRET: SECRET,
      PORT: "0",
      HOST: "127.0.0.1",
      PLUGINS: COUNT_PLUGIN,
      REDIS_URL: redis.url,
      REDIS_PREFIX: `{t${Date.now()}}`,
      RUNS_FILE: join(dir, "runs.log"),
      DELIVERY_LEASE_MS: "3000",
      ...extra,
    };
    const receivers = [0, 1].map(() => startCli({ ...env, WORKERS: "0" }));
    const workers = [0, 1].map(() => startCli(env, ["worker"]));
    const ports = await Promise.all(
      receivers.map(async (cli) => (await cli.waitFor((line) => line.msg === "listening")).port),
    );
    await Promise.all(workers.map((cli) => cli.waitFor((line) => line.msg === "worker started")));
    return { env, receivers, workers, ports, runs: () => readRuns(env.RUNS_FILE) };
  }

  async function handledCount(port: unknown): Promise<number> {
    const text = await (await fetch(`http://127.0.0.1:${String(port)}/metrics`)).text();
    const counts = text
      .split("\n")
      .filter((line) => line.startsWith("hookwright_handler_duration_seconds_count{"))
      .map((line) => Number(line.split(" ").at(-1)));
    return counts.reduce((sum, count) => sum + count, 0);
  }

  async function stop(processes: RunningCli[]) {
    for (const cli of processes) cli.child.kill("SIGTERM");
    return Promise.all(processes.map((cli) => cli.exited));
  }

  it("handles 1000 deliveries over 20 installations with 20 token exchanges, and a delivery sent to both receivers once", async () => {
    const exchangesBefore = github.issuedTokens.length;
    const { receivers, workers, ports, runs } = await start();
    const deliveries = Array.from({ length: 1000 }, (_, index) =>
      issueOpened(SECRET, (index % INSTALLATIONS) + 1),
    );
    const statuses = await sendAll(deliveries, (index) => ports[index % 2]);
    expect([...statuses.values()].every((status) => status === 202)).toBe(true);
    const twice = issueOpened(SECRET, 3);
    const answers = await Promise.all(ports.map((port) => post(port, twice)));
    // Both queue it (202), or one finds it already run by a fast worker (200 duplicate); it runs once.
    const twiceStatuses = answers.map((answer) => answer.status).sort();
    expect([
      [202, 202],
      [200, 202],
    ]).toContainEqual(twiceStatuses);
    await until(60_000, "1001 deliveries to run", () => runs().ends.size === 1001);
    // A moment for a second run of the same id, had one been queued.
    await new Promise((resolve) => setTimeout(resolve, 500));
    const { starts, ends } = runs();
    expect([...starts.values()].filter((pids) => pids.length > 1)).toEqual([]);
    expect(ends.get(twice.id)).toHaveLength(1);
    for (const delivery of deliveries) expect(ends.get(delivery.id)).toHaveLength(1);
    // One per installation across all four processes: the token cache's lock in Redis.
    expect(github.issuedTokens.length - exchangesBefore).toBe(INSTALLATIONS);
    // The workers ran them, and sent their ends back to the receiver that queued each one.
    const handled = await Promise.all(ports.map((port) => handledCount(port)));
    expect(handled[0]! + handled[1]!).toBe(1001);
    expect(Math.min(...handled)).toBeGreaterThan(0);
    const again = await post(ports[1], deliveries[0]!);
    expect(again.status).toBe(200);
    expect(await again.json()).toEqual({ status: "duplicate" });
    expect(await stop([...receivers, ...workers])).toEqual([0, 0, 0, 0]);
    rmSync(dir, { recursive: true, force: true });
  }, 120_000);

  it("loses nothing when a worker is killed mid-run; only what it was running runs twice", async () => {
    const { receivers, workers, ports, runs } = await start({ RUN_MS: "100" });
    const deliveries = Array.from({ length: 400 }, (_, index) =>
      issueOpened(SECRET, (index % INSTALLATIONS) + 1),
    );
    const sending = sendAll(deliveries, (index) => ports[index % 2]);
    const victim = workers[0]!;
    await until(30_000, "the first worker to run something", () =>
      [...runs().starts.values()].flat().includes(victim.child.pid!),
    );
    await until(30_000, "100 runs to end", () => runs().ends.size >= 100);
    victim.child.kill("SIGKILL");
    const atKill = runs();
    const inFlight = [...atKill.starts]
      .filter(
        ([id, pids]) =>
          pids.includes(victim.child.pid!) &&
          !(atKill.ends.get(id) ?? []).includes(victim.child.pid!),
      )
      .map(([id]) => id);
    const statuses = await sending;
    expect([...statuses.values()].every((status) => status === 202)).toBe(true);
    // The killed worker's jobs come back once their 3 s lease lapses.
    await until(60_000, "every delivery to run", () => runs().ends.size === deliveries.length);
    const { starts } = runs();
    const twice = [...starts].filter(([, pids]) => pids.length > 1);
    // Twice only for what the killed worker had started: at most its 10 jobs in flight.
    for (const [, pids] of twice) expect(pids).toContain(victim.child.pid);
    expect(twice.length).toBeLessThanOrEqual(10);
    expect(inFlight.length).toBeGreaterThan(0);
    for (const id of inFlight) expect(starts.get(id)!.length).toBeGreaterThanOrEqual(2);
    expect(await stop([...receivers, workers[1]!])).toEqual([0, 0, 0]);
  }, 150_000);
});
