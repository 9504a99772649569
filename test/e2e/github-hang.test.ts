import { mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, afterEach, beforeAll, expect, it } from "@jest/globals";
import type { FakeGitHub } from "../helpers/fake-github/index.js";
import { hasRedisServer, startRedisServer, type RedisServer } from "../helpers/redis-server.js";
import { until } from "../helpers/wait.js";
import { killChildren, startCli } from "./cli-helpers.js";
import {
  countingEnv,
  oneInstallationGitHub,
  issueOpened,
  post,
  readRuns,
} from "./delivery-runs.js";

const SECRET = "e2e-hang-secret-4c2a90";
const run = hasRedisServer ? it : it.skip;

let github: FakeGitHub;
let redis: RedisServer;
beforeAll(async () => {
  if (hasRedisServer) redis = await startRedisServer();
  github = oneInstallationGitHub();
});
afterEach(() => killChildren());
afterAll(async () => {
  await github.close();
  await redis?.stop();
});

run(
  "a GitHub that never answers the token exchange, then hangs the API call: each run fails within the timeout, the job is retried, and the delivery completes",
  async () => {
    const dir = mkdtempSync(join(tmpdir(), "hookwright-hang-"));
    const env = countingEnv(await github.listen(), SECRET, dir, {
      REDIS_URL: redis.url,
      GITHUB_REQUEST_TIMEOUT_MS: "300",
    });
    // Every attempt of the first run's exchange hangs; the second run's comment hangs once.
    github.hangNext({ method: "POST", path: /\/access_tokens$/ }, 3);
    github.hangNext({ method: "POST", path: /\/comments$/ }, 1);
    const server = startCli(env);
    const port = (await server.waitFor((line) => line.msg === "listening")).port;
    const delivery = issueOpened(SECRET, 1);
    const sentAt = Date.now();
    expect((await post(port, delivery)).status).toBe(202);
    await until(30_000, "the delivery to complete", () =>
      readRuns(env.RUNS_FILE).ends.has(delivery.id),
    );
    const runs = readRuns(env.RUNS_FILE);
    // Runs 1 (exchange hung) and 2 (comment hung, then retried inside the run) failed or
    // recovered within their timeouts; none stayed in flight for GitHub's 300 s.
    expect(runs.starts.get(delivery.id)!.length).toBeGreaterThanOrEqual(2);
    expect(runs.ends.get(delivery.id)).toHaveLength(1);
    expect(Date.now() - sentAt).toBeLessThan(30_000);
    expect(github.comments.filter((comment) => comment.body === delivery.id)).toHaveLength(1);
    const metrics = await (await fetch(`http://127.0.0.1:${String(port)}/metrics`)).text();
    expect(metrics).toMatch(/^hookwright_deliveries_in_flight 0$/m);
    server.child.kill("SIGTERM");
    expect(await server.exited).toBe(0);
  },
  60_000,
);
