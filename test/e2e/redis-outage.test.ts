import { mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, afterEach, beforeAll, expect, it } from "@jest/globals";
import type { FakeGitHub } from "../helpers/fake-github/index.js";
import { hasRedisServer, startRedisServer, type RedisServer } from "../helpers/redis-server.js";
import { killChildren, startCli } from "./cli-helpers.js";
import {
  countingEnv,
  oneInstallationGitHub,
  issueOpened,
  readRuns,
  sendAll,
} from "./delivery-runs.js";
import { until } from "../helpers/wait.js";

const SECRET = "e2e-outage-secret-3b9e55";
const run = hasRedisServer ? it : it.skip;

let github: FakeGitHub;
let redis: RedisServer;
let dir: string;
beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), "hookwright-outage-"));
  if (hasRedisServer) redis = await startRedisServer({ persistDir: dir });
  github = oneInstallationGitHub();
});
afterEach(() => killChildren());
afterAll(async () => {
  await github.close();
  await redis?.stop();
});

const ready = (port: unknown) =>
  fetch(`http://127.0.0.1:${String(port)}/ready`).then((response) => response.status);

run(
  "Redis stopped during load: 503 and /ready 503, then recovery without a restart; every 202 runs",
  async () => {
    const env = countingEnv(await github.listen(), SECRET, dir, {
      REDIS_URL: redis.url,
      WORKERS: "1",
      RUN_MS: "10",
    });
    const server = startCli(env);
    const port = (await server.waitFor((line) => line.msg === "listening")).port;
    const deliveries = Array.from({ length: 300 }, () => issueOpened(SECRET, 1));
    const first = await sendAll(deliveries.slice(0, 100), () => port, 10);
    await redis.stop();
    const during = await sendAll(deliveries.slice(100, 200), () => port, 10);
    expect(await ready(port)).toBe(503);
    expect([...during.values()].every((status) => status === 503)).toBe(true);
    await redis.start();
    const giveUpAt = Date.now() + 15_000;
    while ((await ready(port)) !== 200 && Date.now() < giveUpAt) {
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
    expect(await ready(port)).toBe(200);
    const after = await sendAll(deliveries.slice(200), () => port, 10);
    const accepted = [...first, ...after].filter(([, status]) => status === 202).map(([id]) => id);
    expect(accepted.length).toBe(200);
    await until(30_000, "every delivery answered 202 to run", () =>
      accepted.every((id) => readRuns(env.RUNS_FILE).ends.has(id)),
    );
    server.child.kill("SIGTERM");
    expect(await server.exited).toBe(0);
  },
  90_000,
);
