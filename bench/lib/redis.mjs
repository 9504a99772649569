// Scenario 7's Redis: a throwaway redis-server on a free loopback port (nothing saved to disk),
// and what the bench reads from it. The client is the `ioredis` the measured hookwright
// already depends on (loaded from its node_modules); the bench adds no dependency.
import { spawn } from "node:child_process";
import { connect } from "node:net";
import { createRequire } from "node:module";
import { join } from "node:path";
import { sleep } from "./harness.mjs";
import { freePort, track } from "./targets.mjs";

function accepting(port) {
  return new Promise((resolve) => {
    const socket = connect({ port, host: "127.0.0.1" });
    socket.once("connect", () => (socket.destroy(), resolve(true)));
    socket.once("error", () => resolve(false));
  });
}

/** redis-server --save "" --appendonly no on 127.0.0.1, killed by stop() or with the bench. */
export async function startRedis() {
  const port = await freePort();
  const child = spawn(
    "redis-server",
    ["--port", String(port), "--bind", "127.0.0.1", "--save", "", "--appendonly", "no"],
    { stdio: ["ignore", "pipe", "pipe"] },
  );
  track(child);
  let output = "";
  const keep = (chunk) => (output = (output + chunk.toString()).slice(-2000));
  child.stdout.on("data", keep);
  child.stderr.on("data", keep);
  let exited = child.exitCode !== null;
  const exit = new Promise((resolve) =>
    child.once("exit", () => {
      exited = true;
      resolve();
    }),
  );
  child.once("error", (error) => keep(String(error)));
  const giveUpAt = Date.now() + 10_000;
  while (!(await accepting(port))) {
    if (exited || Date.now() > giveUpAt) {
      child.kill("SIGKILL");
      throw new Error(`redis-server did not start on port ${port}:\n${output}`);
    }
    await sleep(10);
  }
  return {
    port,
    pid: child.pid,
    url: `redis://127.0.0.1:${port}`,
    async stop() {
      if (exited) return;
      child.kill("SIGKILL");
      await exit;
    },
  };
}

/** `new Redis(url)` from the measured checkout's node_modules. */
export function redisClient(hookwrightDir, url) {
  const { Redis } = createRequire(join(hookwrightDir, "package.json"))("ioredis");
  return new Redis(url, { lazyConnect: false, maxRetriesPerRequest: 1 });
}

/** INFO commandstats → { command: calls } (script-internal calls included: Redis counts them). */
export async function commandCalls(redis) {
  const text = await redis.info("commandstats");
  const calls = {};
  for (const match of text.matchAll(/^cmdstat_([^:]+):calls=(\d+)/gm))
    calls[match[1]] = Number(match[2]);
  return calls;
}

/** after − before, per command, without the bench's own INFO calls. */
export function callsBetween(before, after) {
  const out = {};
  for (const [command, calls] of Object.entries(after)) {
    if (command === "info") continue;
    const delta = calls - (before[command] ?? 0);
    if (delta > 0) out[command] = delta;
  }
  return out;
}

/**
 * MONITOR on its own connection: every command Redis runs, with where it came from, a
 * client's address or "lua" (a command run inside a script). Counts, per command, what
 * clients sent (each one a request on the wire) and what scripts ran, while `counting`.
 */
export async function monitorCommands(redis, ignoreSources = []) {
  const monitor = await redis.monitor();
  const counts = { client: {}, lua: {}, clientByKey: {} };
  let counting = false;
  monitor.on("monitor", (_time, args, source) => {
    if (!counting || ignoreSources.includes(source)) return;
    const command = String(args[0]).toLowerCase();
    const side = source === "lua" ? counts.lua : counts.client;
    side[command] = (side[command] ?? 0) + 1;
    if (source !== "lua") {
      const what = `${command} ${keyFamily(command, args)}`.trim();
      counts.clientByKey[what] = (counts.clientByKey[what] ?? 0) + 1;
    }
  });
  return {
    start() {
      counting = true;
    },
    stop() {
      counting = false;
      monitor.disconnect();
      return counts;
    },
  };
}

/** The first key a command names, with a delivery id or number at its end shown as `*`. */
function keyFamily(command, args) {
  const key = command === "eval" || command === "evalsha" ? args[3] : args[1];
  if (key === undefined) return "";
  // Token keys name the API URL, the app and the installation.
  if (/:token:/.test(String(key))) return String(key).replace(/:token:.*/, ":token:*");
  return String(key).replace(/:([0-9a-f]{8}-[0-9a-f-]{27}|\d+)$/i, ":*");
}

export const sum = (calls) => Object.values(calls).reduce((a, b) => a + b, 0);
