// Starting and stopping the servers under test, each the way its users start it.
import { spawn } from "node:child_process";
import { get } from "node:http";
import { createServer } from "node:net";
import { fileURLToPath } from "node:url";
import { performance } from "node:perf_hooks";
import { clearTimeout, setTimeout } from "node:timers";

const benchDir = fileURLToPath(new URL("..", import.meta.url));
export const PLUGINS = {
  comment: `${benchDir}plugins/comment.mjs`,
  noop: `${benchDir}plugins/noop.mjs`,
};

export const TARGETS = {
  hookwright: { label: "hookwright" },
  // BENCH_COMPARE_DIR: a second checkout (built), e.g. to measure a change against main.
  "hookwright-compare": { label: "hookwright (BENCH_COMPARE_DIR)" },
  "hookwright-node-http": { label: "experiment: hookwright on node:http, no Express" },
  probot: { label: "Probot 14 as shipped" },
  "probot-nothrottle": { label: "Probot 14 throttle off" },
  limit: { label: "limit" },
  "limit-receive": { label: "limit receive-only" },
  floor: { label: "Express+Octokit floor" },
  "floor-receive": { label: "Express floor (receive only)" },
  // Scenario 7: `WORKERS=0 hookwright run` × 2 and `hookwright worker` × 2 on one redis-server.
  "hookwright-queue": { label: "hookwright queue: 2 receivers + 2 workers, one Redis" },
  "hookwright-queue-monitor": {
    label: "the same under Redis MONITOR (counts round trips; its times are not comparable)",
  },
};

// Servers still running when the bench stops (an error, Ctrl-C) are killed with it.
const running = new Set();
/** Adds a child process (e.g. a redis-server) to those killed when the bench stops. */
export function track(child) {
  running.add(child);
  child.once("exit", () => running.delete(child));
}
const killAll = () => {
  for (const child of running) child.kill("SIGKILL");
};
process.on("exit", killAll);
for (const signal of ["SIGINT", "SIGTERM"]) {
  process.once(signal, () => {
    killAll();
    process.exit(130);
  });
}

export function freePort() {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once("error", reject);
    server.listen(0, "127.0.0.1", () => {
      const { port } = server.address();
      server.close(() => resolve(port));
    });
  });
}

function commandFor(
  name,
  { plugin, port, fake, keys, hookwrightDir, compareDir, nodeArgs = [], env = {} },
) {
  const common = {
    PATH: process.env.PATH,
    HOME: process.env.HOME,
    APP_ID: "4242",
    PRIVATE_KEY: keys.privateKey,
    WEBHOOK_SECRET: keys.secret,
    PORT: String(port),
    HOST: "127.0.0.1",
    LOG_LEVEL: "warn",
    LOG_FORMAT: "json",
    NODE_ENV: "production",
    ...env,
  };
  const apiUrl = `http://127.0.0.1:${fake}`;
  switch (name) {
    case "hookwright":
    case "hookwright-compare":
      return {
        args: [...nodeArgs, "bin/hookwright.js", "run", plugin],
        cwd: name === "hookwright" ? hookwrightDir : compareDir,
        env: { ...common, GITHUB_API_URL: apiUrl },
      };
    case "hookwright-node-http":
      return {
        args: [...nodeArgs, `${benchDir}targets/hookwright-node-http.mjs`],
        cwd: hookwrightDir,
        env: {
          ...common,
          GITHUB_API_URL: apiUrl,
          BENCH_PLUGIN: plugin,
          BENCH_HOOKWRIGHT_DIR: hookwrightDir,
        },
      };
    case "probot":
    case "probot-nothrottle":
      return {
        args: [...nodeArgs, `${benchDir}targets/probot.mjs`],
        cwd: benchDir,
        env: {
          ...common,
          GHE_HOST: `127.0.0.1:${fake}`,
          GHE_PROTOCOL: "http",
          BENCH_PLUGIN: plugin,
          PROBOT_THROTTLE:
            name === "probot" ? "on" : (process.env.BENCH_PROBOT_THROTTLE_OFF ?? "off"),
        },
      };
    case "hookwright-worker":
      return {
        args: [...nodeArgs, "bin/hookwright.js", "worker", plugin],
        cwd: hookwrightDir,
        env: { ...common, GITHUB_API_URL: apiUrl },
      };
    case "limit":
    case "limit-receive":
      return {
        args: [...nodeArgs, `${benchDir}targets/limit.mjs`],
        cwd: benchDir,
        env: {
          ...common,
          GITHUB_API_URL: apiUrl,
          LIMIT_MODE: name === "limit" ? "e2e" : "receive",
        },
      };
    case "floor":
    case "floor-receive":
      return {
        args: [...nodeArgs, `${benchDir}targets/express-floor.mjs`],
        cwd: benchDir,
        env: {
          ...common,
          GITHUB_API_URL: apiUrl,
          BENCH_HOOKWRIGHT_DIR: hookwrightDir,
          FLOOR_MODE: name === "floor" ? "e2e" : "receive",
        },
      };
    default:
      throw new Error(`unknown target ${name}`);
  }
}

function ping(port) {
  return new Promise((resolve) => {
    const req = get({ host: "127.0.0.1", port, path: "/ping", agent: false }, (res) => {
      res.resume();
      res.on("end", () => resolve(res.statusCode === 200));
    });
    req.on("error", () => resolve(false));
  });
}

/**
 * Spawns a target and waits until GET /ping answers 200. `spawnedAt` and `readyAt` are
 * performance.now() values, for the cold-start scenario.
 */
export async function startTarget(name, options) {
  return spawnTarget(name, options, (port) => ping(port));
}

/**
 * `hookwright worker` has no HTTP server: it is ready once it logs "worker started" (so it
 * runs at LOG_LEVEL=info; it logs nothing per delivery at that level).
 */
export async function startWorker(options) {
  let seen = false;
  return spawnTarget(
    "hookwright-worker",
    { ...options, env: { ...options.env, LOG_LEVEL: "info" } },
    async () => seen,
    (text) => {
      if (text.includes('"msg":"worker started"')) seen = true;
    },
  );
}

async function spawnTarget(name, options, ready, watch = () => {}) {
  const port = await freePort();
  const command = commandFor(name, { ...options, port });
  const spawnedAt = performance.now();
  const child = spawn(process.execPath, command.args, {
    cwd: command.cwd,
    env: command.env,
    stdio: ["ignore", "pipe", "pipe"],
  });
  running.add(child);
  let output = "";
  const keep = (chunk) => {
    output = (output + chunk.toString()).slice(-4000);
    watch(output);
  };
  child.stdout.on("data", keep);
  child.stderr.on("data", keep);
  let exited = false;
  const exit = new Promise((resolve) =>
    child.once("exit", (code, signal) => {
      exited = true;
      running.delete(child);
      resolve({ code, signal });
    }),
  );
  const giveUpAt = spawnedAt + 30_000;
  while (!(await ready(port))) {
    if (exited || performance.now() > giveUpAt) {
      child.kill("SIGKILL");
      throw new Error(`${name} did not start:\n${output}`);
    }
    await new Promise((resolve) => setTimeout(resolve, 2));
  }
  const readyAt = performance.now();
  return {
    name,
    port,
    pid: child.pid,
    spawnedAt,
    readyAt,
    output: () => output,
    async stop(graceMs = 3000) {
      if (exited) return exit;
      child.kill("SIGTERM");
      const timer = setTimeout(() => child.kill("SIGKILL"), graceMs);
      const result = await exit;
      clearTimeout(timer);
      return result;
    },
  };
}
