import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "@jest/globals";
import type { FakeGitHub } from "../helpers/fake-github/index.js";
import { chromium } from "playwright-core";
import { CHROMIUM, CHROMIUM_ARGS, chromiumAvailable } from "./browser-helpers.js";
import { hasRedisServer, startRedisServer, type RedisServer } from "../helpers/redis-server.js";
import { createSignedDelivery, loadFixture } from "../helpers/signed-delivery.js";
import { until } from "../helpers/wait.js";
import { appEnv, killChildren, startCli } from "./cli-helpers.js";
import { oneInstallationGitHub, post } from "./delivery-runs.js";

const SECRET = "console-queue-secret-5c81e0";
const TOKEN = "console-queue-token-1f93ab";
const PLUGIN = new URL("../fixtures/plugins/fail-until-fixed.mjs", import.meta.url).pathname;
const describeRedis = hasRedisServer ? describe : describe.skip;
const inBrowser = chromiumAvailable ? it : it.skip;

interface Row {
  seq: number;
  id: string;
  status: number | null;
  outcome: string;
  attempt: number | null;
  worker: boolean;
  error: string | null;
}
interface FailedJob {
  id: string;
  event: string;
  attempts: number;
  reason: string;
}

function opened(title: string) {
  const payload = JSON.parse(loadFixture("issues.opened").toString("utf8")) as {
    installation?: { id: number };
    issue: { title: string };
    repository: { full_name: string; name: string; owner: { login: string } };
  };
  payload.installation = { id: 1 };
  payload.issue.title = title;
  payload.repository = { ...payload.repository, full_name: "org1/repo", name: "repo" };
  payload.repository.owner = { ...payload.repository.owner, login: "org1" };
  return createSignedDelivery({ secret: SECRET, event: "issues", payload });
}

describeRedis("the delivery console of a receiver, with a worker in another process", () => {
  let redis: RedisServer;
  let github: FakeGitHub;
  let dir: string;
  let base: string;
  let port: unknown;
  const consoleApi = async <T>(path: string, init: RequestInit = {}) => {
    const response = await fetch(`${base}/console/api${path}`, {
      ...init,
      headers: { authorization: `Bearer ${TOKEN}`, "content-type": "application/json" },
    });
    return { status: response.status, body: (await response.json()) as T };
  };
  const rows = async () => (await consoleApi<{ deliveries: Row[] }>("/deliveries")).body.deliveries;

  beforeAll(async () => {
    redis = await startRedisServer();
    github = oneInstallationGitHub();
    dir = mkdtempSync(join(tmpdir(), "hookwright-console-queue-"));
    const env = {
      ...appEnv(await github.listen()),
      WEBHOOK_SECRET: SECRET,
      CONSOLE_TOKEN: TOKEN,
      PORT: "0",
      HOST: "127.0.0.1",
      PLUGINS: PLUGIN,
      FIXED_FILE: join(dir, "fixed"),
      REDIS_URL: redis.url,
      REDIS_PREFIX: `console${Date.now()}`,
      DELIVERY_ATTEMPTS: "2",
    };
    const receiver = startCli({ ...env, WORKERS: "0" });
    const worker = startCli(env, ["worker"]);
    port = (await receiver.waitFor((line) => line.msg === "listening")).port;
    base = `http://127.0.0.1:${String(port)}`;
    await worker.waitFor((line) => line.msg === "worker started");
  }, 60_000);
  afterAll(async () => {
    killChildren();
    await github.close();
    await redis.stop();
    rmSync(dir, { recursive: true, force: true });
  });

  it("shows what the worker ran, lists the delivery whose attempts ran out (masked), and Retry runs it again", async () => {
    expect((await consoleApi<{ queue: boolean }>("/info")).body.queue).toBe(true);
    const fine = opened("fine");
    const broken = opened("break");
    expect((await post(port, fine)).status).toBe(202);
    expect((await post(port, broken)).status).toBe(202);

    await until(30_000, "the good delivery to complete in the worker", async () =>
      (await rows()).some((row) => row.id === fine.id && row.outcome === "completed"),
    );
    const [done] = (await rows()).filter((row) => row.id === fine.id);
    // One row: answered 202 (queued) by the receiver, then run by the worker.
    expect(done).toMatchObject({ status: 202, outcome: "completed", attempt: 1, worker: true });

    const failedJobs = async () =>
      (await consoleApi<{ jobs: FailedJob[] }>("/jobs/failed")).body.jobs;
    await until(30_000, "the broken delivery to reach the failed set", async () =>
      (await failedJobs()).some((job) => job.id === broken.id),
    );
    const [dead] = await failedJobs();
    expect(dead).toMatchObject({ id: broken.id, event: "issues.opened", attempts: 2 });
    expect(dead!.reason).toMatch(/broken until fixed/);
    expect(dead!.reason).not.toContain(SECRET);
    // Workers relay events in batches every 100 ms: the last attempt's row may come just after.
    const attemptsOf = async () => (await rows()).filter((row) => row.id === broken.id);
    await until(5000, "both attempts' rows", async () => {
      const seen = await attemptsOf();
      return seen.length === 2 && seen.every((row) => row.outcome === "failed");
    });
    const attempts = await attemptsOf();
    expect(attempts.map((row) => [row.outcome, row.attempt, row.worker])).toEqual([
      ["failed", 2, true],
      ["failed", 1, true],
    ]);
    expect(attempts[0]!.error).toMatch(/now in the failed set/);
    expect(JSON.stringify(attempts)).not.toContain(SECRET);

    // Not in the failed set: refused, nothing queued.
    const unknown = await consoleApi("/jobs/failed/no-such-id/retry", { method: "POST" });
    expect(unknown.status).toBe(404);

    writeFileSync(join(dir, "fixed"), "");
    const retried = await consoleApi(`/jobs/failed/${broken.id}/retry`, { method: "POST" });
    expect(retried).toEqual({ status: 200, body: { id: broken.id, status: "queued" } });
    await until(30_000, "the retried delivery to complete", async () =>
      (await rows()).some((row) => row.id === broken.id && row.outcome === "completed"),
    );
    expect(await failedJobs()).toEqual([]);
    expect(github.callsTo("POST", /\/issues\/1\/comments$/)).toHaveLength(2);
  }, 90_000);

  inBrowser(
    "lists the failed job on the page, marks the worker's rows, and its Retry button runs it",
    async () => {
      rmSync(join(dir, "fixed"), { force: true });
      const broken = opened("break");
      expect((await post(port, broken)).status).toBe(202);
      const browser = await chromium.launch({ executablePath: CHROMIUM, args: CHROMIUM_ARGS });
      try {
        const page = await browser.newPage();
        await page.goto(`${base}/?token=${TOKEN}`);
        const job = page.locator(`[data-testid="failed-job"][data-id="${broken.id}"]`);
        await job.waitFor({ timeout: 30_000 });
        expect(await job.locator("td").nth(2).textContent()).toBe("2");
        expect(await page.getByTestId("run-mark").allTextContents()).toContain("worker, attempt 2");
        writeFileSync(join(dir, "fixed"), "");
        await job.getByTestId("retry-job").click();
        await job.waitFor({ state: "detached", timeout: 30_000 });
        await until(30_000, "the retried delivery to complete", async () =>
          (await rows()).some((row) => row.id === broken.id && row.outcome === "completed"),
        );
      } finally {
        await browser.close();
      }
    },
    90_000,
  );
});
