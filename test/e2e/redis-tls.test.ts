import { spawn, spawnSync, type ChildProcess } from "node:child_process";
import { mkdtempSync } from "node:fs";
import { createServer } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, afterEach, beforeAll, expect, it } from "@jest/globals";
import type { FakeGitHub } from "../helpers/fake-github/index.js";
import { hasRedisServer } from "../helpers/redis-server.js";
import { until } from "../helpers/wait.js";
import { killChildren, startCli } from "./cli-helpers.js";
import {
  countingEnv,
  oneInstallationGitHub,
  issueOpened,
  post,
  readRuns,
} from "./delivery-runs.js";

const SECRET = "e2e-tls-secret-1f0e9d";
const hasOpenssl = spawnSync("openssl", ["version"], { stdio: "ignore" }).status === 0;
const run = hasRedisServer && hasOpenssl ? it : it.skip;

let dir: string;
let redis: ChildProcess | undefined;
let github: FakeGitHub;
let port: number;

function freePort(): Promise<number> {
  return new Promise((resolve) => {
    const server = createServer().listen(0, "127.0.0.1", () => {
      const { port: free } = server.address() as { port: number };
      server.close(() => resolve(free));
    });
  });
}

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), "hookwright-tls-"));
  github = oneInstallationGitHub();
  if (!(hasRedisServer && hasOpenssl)) return;
  // A self-signed certificate for 127.0.0.1, trusted by the CLI through NODE_EXTRA_CA_CERTS,
  // as a managed Redis's CA would be.
  const made = spawnSync("openssl", [
    "req",
    "-x509",
    "-newkey",
    "rsa:2048",
    "-nodes",
    "-days",
    "1",
    "-keyout",
    join(dir, "key.pem"),
    "-out",
    join(dir, "cert.pem"),
    "-subj",
    "/CN=127.0.0.1",
    "-addext",
    "subjectAltName=IP:127.0.0.1",
  ]);
  if (made.status !== 0) throw new Error(made.stderr.toString());
  port = await freePort();
  redis = spawn(
    "redis-server",
    [
      "--port",
      "0",
      "--tls-port",
      String(port),
      "--bind",
      "127.0.0.1",
      "--tls-cert-file",
      join(dir, "cert.pem"),
      "--tls-key-file",
      join(dir, "key.pem"),
      "--tls-ca-cert-file",
      join(dir, "cert.pem"),
      "--tls-auth-clients",
      "no",
      "--save",
      "",
      "--appendonly",
      "no",
    ],
    { stdio: "ignore" },
  );
});
afterEach(() => killChildren());
afterAll(async () => {
  redis?.kill("SIGKILL");
  await github.close();
});

run(
  "runs queued deliveries over rediss:// with a hash-tagged REDIS_PREFIX",
  async () => {
    const env = countingEnv(await github.listen(), SECRET, dir, {
      REDIS_URL: `rediss://127.0.0.1:${port}`,
      REDIS_PREFIX: "{hookwright-tls}",
      NODE_EXTRA_CA_CERTS: join(dir, "cert.pem"),
    });
    const server = startCli(env);
    const listening = await server.waitFor((line) => line.msg === "listening");
    const delivery = issueOpened(SECRET, 1);
    expect((await post(listening.port, delivery)).status).toBe(202);
    await until(10_000, "the queued run over TLS", () =>
      readRuns(env.RUNS_FILE).ends.has(delivery.id),
    );
    server.child.kill("SIGTERM");
    expect(await server.exited).toBe(0);
  },
  30_000,
);
