// The six scenarios of issue 3. Each `round(target, ctx)` spawns a fresh server, measures one
// run and stops it; run.mjs alternates targets round by round and takes medians.
import { performance } from "node:perf_hooks";
import { cpuMs, memory } from "./proc.mjs";
import { again, ignored, issueDeliveries, issueOpened, largePush } from "./deliveries.mjs";
import { sleep } from "./harness.mjs";
import { createAgent, post, runLoad } from "./load.mjs";
import { callsBetween, commandCalls, monitorCommands, redisClient, startRedis } from "./redis.mjs";
import { PLUGINS, startTarget, startWorker } from "./targets.mjs";

const maxExchanges = (stats) => Math.max(0, ...Object.values(stats.exchanges));
// Requests the fake GitHub refused (a token used for another installation) or did not know.
const refused = (stats) => stats.badAuth + stats.unexpected.length;

/** Warm-up that reaches every installation once, so the measured run has a warm token cache. */
function warmUp(settings, keys) {
  return issueDeliveries(keys.secret, {
    count: settings.warmupCount,
    installations: settings.installations,
  });
}

async function start(name, ctx, plugin, env) {
  return startTarget(name, {
    plugin: PLUGINS[plugin],
    fake: ctx.fake.port,
    keys: ctx.keys,
    hookwrightDir: ctx.hookwrightDir,
    compareDir: ctx.compareDir,
    env,
  });
}

/**
 * Scenario 7's processes: one `hookwright run` without Redis ("hookwright"), or a
 * redis-server with 2 `WORKERS=0 hookwright run` receivers and 2 `hookwright worker`s.
 */
async function startSetup(name, ctx) {
  if (name === "hookwright") {
    const target = await start("hookwright", ctx, "comment");
    return { ports: [target.port], hookwright: [target], stop: () => target.stop() };
  }
  const redis = await startRedis();
  const started = [];
  const stop = async () => {
    await Promise.all(started.map((p) => p.stop()));
    await redis.stop();
  };
  try {
    const env = {
      REDIS_URL: redis.url,
      WORKER_CONCURRENCY: String(ctx.settings.workerConcurrency),
    };
    const options = {
      plugin: PLUGINS.comment,
      fake: ctx.fake.port,
      keys: ctx.keys,
      hookwrightDir: ctx.hookwrightDir,
      env,
    };
    const launches = [
      startTarget("hookwright", { ...options, env: { ...env, WORKERS: "0" } }),
      startTarget("hookwright", { ...options, env: { ...env, WORKERS: "0" } }),
      startWorker(options),
      startWorker(options),
    ];
    // Each one that started is stopped, even when another failed to start.
    const settled = await Promise.allSettled(launches);
    for (const s of settled) if (s.status === "fulfilled") started.push(s.value);
    const failed = settled.find((s) => s.status === "rejected");
    if (failed) throw failed.reason;
    return { ports: [started[0].port, started[1].port], hookwright: started, redis, stop };
  } catch (error) {
    await stop();
    throw error;
  }
}

const cpuOf = (processes) => processes.reduce((total, p) => total + cpuMs(p.pid), 0);

/** Scenarios 1 and 2: a warm server under steady load; throughput, CPU and memory. */
function steadyLoad({ plugin, expectComments }) {
  return async (name, ctx) => {
    const { settings, keys, fake } = ctx;
    await fake.reset();
    const target = await start(name, ctx, plugin);
    try {
      const agent = createAgent(settings.concurrency);
      await runLoad({
        port: target.port,
        deliveries: warmUp(settings, keys),
        concurrency: settings.concurrency,
        agent,
      });
      // Fresh delivery ids each round (a redelivered id is answered without running handlers).
      const deliveries = ctx.shared.loadDeliveries.map(again);
      const cpuBefore = cpuMs(target.pid);
      const result = await runLoad({
        port: target.port,
        deliveries,
        concurrency: settings.concurrency,
        deadlineMs: settings.roundTimeoutS * 1000,
        agent,
      });
      const cpu = cpuMs(target.pid) - cpuBefore;
      agent.destroy();
      const mem = memory(target.pid);
      const stats = expectComments
        ? await fake.waitForComments(settings.warmupCount + deliveries.length, 5000)
        : await fake.stats();
      return {
        throughput: (result.sent / result.wallMs) * 1000,
        cpuPerDelivery: cpu / result.sent,
        p50: result.p50,
        p99: result.p99,
        rssMiB: mem.rssMiB,
        peakMiB: mem.peakMiB,
        maxExchanges: maxExchanges(stats),
        failures: result.sent - result.ok + (deliveries.length - result.sent),
        statuses: result.statuses,
        comments: stats.comments,
        refused: refused(stats),
      };
    } finally {
      await target.stop();
    }
  };
}

/**
 * Scenario 7: the e2e load (scenario 1's deliveries, concurrency and installations, the comment
 * plugin), split round-robin over the receivers, measured until the last comment reaches the
 * fake GitHub; the time to the last 2xx answer is reported apart. CPU is every hookwright
 * process's (and redis-server's) utime + stime over the measured load; Redis commands are
 * INFO commandstats after − before (tokens are warm: the warm-up reached every installation
 * and ran to its last comment first). The monitor variant also counts, under MONITOR, which
 * commands clients sent and which ran inside scripts.
 */
async function queueLoad(name, ctx) {
  const { settings, keys, fake } = ctx;
  await fake.reset();
  const setup = await startSetup(name === "hookwright" ? name : "hookwright-queue", ctx);
  let redis;
  let monitor;
  try {
    const warmAgent = createAgent(settings.concurrency);
    const limitMs = settings.roundTimeoutS * 1000;
    const warm = await runLoad({
      ports: setup.ports,
      deliveries: warmUp(settings, keys),
      concurrency: settings.concurrency,
      deadlineMs: limitMs,
      agent: warmAgent,
    });
    if (warm.accepted !== warm.sent)
      throw new Error(
        `warm-up answers ${JSON.stringify(warm.statuses)} (${warm.firstError ?? ""})`,
      );
    const warmed = await fake.waitForComments(settings.warmupCount, limitMs);
    if (warmed.comments < settings.warmupCount)
      throw new Error(`warm-up: ${warmed.comments} of ${settings.warmupCount} comments`);
    // The last jobs' completions after their comments.
    await sleep(200);
    if (setup.redis) {
      redis = redisClient(ctx.hookwrightDir, setup.redis.url);
      await redis.ping();
      if (name === "hookwright-queue-monitor") {
        monitor = await monitorCommands(redis, [`127.0.0.1:${redis.stream.localPort}`]);
        monitor.start();
      }
    }
    const deliveries = ctx.shared.loadDeliveries.map(again);
    // New connections for the load: waiting for the warm-up's work can idle the warm-up's
    // sockets for the server's 5 s keep-alive timeout, and a socket reused as the server
    // closes it fails (status 0) without reaching the receiver.
    warmAgent.destroy();
    const agent = createAgent(settings.concurrency);
    const callsBefore = redis && (await commandCalls(redis));
    const cpuBefore = cpuOf(setup.hookwright);
    const redisCpuBefore = setup.redis ? cpuMs(setup.redis.pid) : 0;
    const started = performance.timeOrigin + performance.now();
    const result = await runLoad({
      ports: setup.ports,
      deliveries,
      concurrency: settings.concurrency,
      deadlineMs: limitMs,
      agent,
    });
    const total = settings.warmupCount + deliveries.length;
    const left = limitMs - (performance.timeOrigin + performance.now() - started);
    const stats = await fake.waitForComments(total, Math.max(left, 1));
    await sleep(100);
    const cpu = cpuOf(setup.hookwright) - cpuBefore;
    const redisCpu = setup.redis ? cpuMs(setup.redis.pid) - redisCpuBefore : NaN;
    const calls = redis ? callsBetween(callsBefore, await commandCalls(redis)) : undefined;
    const monitored = monitor?.stop();
    agent.destroy();
    const done = stats.comments >= total;
    const n = result.sent;
    const rss = setup.hookwright.map((p) => memory(p.pid).rssMiB);
    return {
      deliveries: n,
      throughputDone: done ? (n / (stats.lastCommentAt - started)) * 1000 : NaN,
      lastAckMs: result.wallMs,
      doneMs: done ? stats.lastCommentAt - started : NaN,
      cpuPerDelivery: cpu / n,
      redisCpuPerDelivery: redisCpu / n,
      p50: result.p50,
      p99: result.p99,
      rssMiB: rss.reduce((a, b) => a + b, 0),
      redisCallsPerDelivery: calls ? Object.values(calls).reduce((a, b) => a + b, 0) / n : NaN,
      calls,
      clientCallsPerDelivery: monitored
        ? Object.values(monitored.client).reduce((a, b) => a + b, 0) / n
        : NaN,
      monitored,
      exchanges: stats.totalExchanges,
      maxExchanges: maxExchanges(stats),
      // Exchanges during the measured load (0 when the warm-up left every token cached).
      loadExchanges: stats.totalExchanges - warmed.totalExchanges,
      comments: stats.comments - settings.warmupCount,
      timedOut: !done,
      failures: n - result.accepted + (deliveries.length - n),
      firstError: result.firstError,
      statuses: result.statuses,
      refused: refused(stats),
    };
  } finally {
    monitor?.stop();
    redis?.disconnect();
    await setup.stop();
  }
}

/** Scenario 3: 20 concurrent deliveries to 20 fresh installations; time until 20 comments. */
async function asShipped(name, ctx) {
  const { settings, keys, fake } = ctx;
  await fake.reset();
  const target = await start(name, ctx, "comment");
  try {
    await runLoad({ port: target.port, deliveries: ignored(keys.secret, 5), concurrency: 1 });
    const n = settings.freshInstallations;
    const deliveries = Array.from({ length: n }, (_, i) => issueOpened(keys.secret, 5001 + i, 1));
    const limitMs = (name === "probot" ? settings.slowTimeoutS : settings.roundTimeoutS) * 1000;
    const started = performance.timeOrigin + performance.now();
    const load = runLoad({ port: target.port, deliveries, concurrency: n, deadlineMs: limitMs });
    const stats = await fake.waitForComments(n, limitMs);
    const done = stats.comments >= n;
    const result = await load;
    return {
      allCommentsMs: done ? stats.lastCommentAt - started : NaN,
      comments: stats.comments,
      refused: refused(stats),
      timedOut: !done,
      maxExchanges: maxExchanges(stats),
      statuses: result.statuses,
    };
  } finally {
    await target.stop();
  }
}

/** Scenario 4: spawn → GET /ping 200, then the first delivery (token exchange + comment). */
async function coldStart(name, ctx) {
  const { keys, fake } = ctx;
  await fake.reset();
  const target = await start(name, ctx, "comment");
  try {
    // CPU spent until ready: on a shared machine the wall time mostly measures the neighbours.
    const readyCpuMs = cpuMs(target.pid);
    const agent = createAgent(1);
    const first = await post(agent, target.port, issueOpened(keys.secret, 7001, 1));
    agent.destroy();
    return {
      readyMs: target.readyAt - target.spawnedAt,
      readyCpuMs,
      firstDeliveryMs: target.readyAt - target.spawnedAt + first.ms,
      firstStatus: first.status,
      rssMiB: memory(target.pid).rssMiB,
    };
  } finally {
    await target.stop();
  }
}

/** Scenario 5: a burst of first deliveries for one fresh installation; token exchanges. */
async function burst(name, ctx) {
  const { settings, keys, fake } = ctx;
  await fake.reset();
  const target = await start(name, ctx, "comment");
  try {
    await runLoad({ port: target.port, deliveries: ignored(keys.secret, 5), concurrency: 1 });
    const n = settings.burst;
    const deliveries = Array.from({ length: n }, (_, i) => issueOpened(keys.secret, 9001, i + 1));
    // Probot as shipped sends one comment per 3 s: its exchanges are counted after a while.
    const limitMs = (name === "probot" ? settings.burstWaitS : settings.roundTimeoutS) * 1000;
    const started = performance.timeOrigin + performance.now();
    const result = await runLoad({
      port: target.port,
      deliveries,
      concurrency: n,
      deadlineMs: limitMs,
    });
    const left = limitMs - (performance.timeOrigin + performance.now() - started);
    const stats = await fake.waitForComments(n, Math.max(left, 1));
    return {
      exchanges: stats.totalExchanges,
      allCommentsMs: stats.comments >= n ? stats.lastCommentAt - started : NaN,
      comments: stats.comments,
      refused: refused(stats),
      statuses: result.statuses,
    };
  } finally {
    await target.stop();
  }
}

/** Scenario 6: large `push` deliveries (ignored by the plugin): ack latency and memory. */
async function largePayload(name, ctx) {
  const { settings, keys, fake } = ctx;
  await fake.reset();
  const target = await start(name, ctx, "comment");
  try {
    const agent = createAgent(1);
    await runLoad({
      port: target.port,
      deliveries: ignored(keys.secret, 20),
      concurrency: 1,
      agent,
    });
    await sleep(50);
    const before = memory(target.pid);
    const latencies = [];
    const statuses = {};
    for (let i = 0; i < settings.pushes; i++) {
      const r = await post(agent, target.port, again(ctx.shared.push));
      latencies.push(r.ms);
      statuses[r.status] = (statuses[r.status] ?? 0) + 1;
    }
    agent.destroy();
    const after = memory(target.pid);
    return {
      ackMs: latencies.sort((a, b) => a - b)[Math.floor(latencies.length / 2)],
      rssGrowthMiB: after.rssMiB - before.rssMiB,
      peakGrowthMiB: after.peakMiB - before.rssMiB,
      statuses,
    };
  } finally {
    await target.stop();
  }
}

export function createScenarios(settings, keys, { compare = false } = {}) {
  const prepareLoad = (shared) => {
    shared.loadDeliveries ??= issueDeliveries(keys.secret, {
      count: settings.deliveries,
      installations: settings.installations,
    });
  };
  const withCompare = (targets) =>
    compare ? [targets[0], "hookwright-compare", ...targets.slice(1)] : targets;
  return [
    {
      id: 1,
      title: `e2e: ${settings.deliveries} issues.opened, concurrency ${settings.concurrency}, ${settings.installations} installations, warm cache`,
      targets: withCompare([
        "hookwright",
        "hookwright-node-http",
        "probot-nothrottle",
        "floor",
        "limit",
      ]),
      skipped: {
        probot:
          "its write throttle (1 comment per 3 s, shared by all installations) would take hours",
      },
      prepare: prepareLoad,
      round: steadyLoad({ plugin: "comment", expectComments: true }),
    },
    {
      id: 2,
      title: `receive-only: the same load, no-op plugin`,
      targets: withCompare([
        "hookwright",
        "hookwright-node-http",
        "probot",
        "floor-receive",
        "limit-receive",
      ]),
      // Scenario 2 may run alone (BENCH_SCENARIOS=2).
      prepare: prepareLoad,
      round: steadyLoad({ plugin: "noop", expectComments: false }),
    },
    {
      id: 3,
      title: `as shipped: ${settings.freshInstallations} concurrent deliveries to ${settings.freshInstallations} fresh installations`,
      targets: withCompare(["hookwright", "probot", "probot-nothrottle", "floor", "limit"]),
      slow: ["probot"],
      round: asShipped,
    },
    {
      id: 4,
      title: "cold start: spawn → first 200",
      targets: withCompare(["hookwright", "probot", "floor-receive", "floor", "limit"]),
      round: coldStart,
    },
    {
      id: 5,
      title: `${settings.burst} concurrent first deliveries for one fresh installation`,
      targets: withCompare(["hookwright", "probot", "probot-nothrottle", "floor", "limit"]),
      slow: ["probot"],
      round: burst,
    },
    {
      id: 6,
      title: `${settings.pushMiB} MiB push payload (${settings.pushes} sequential deliveries)`,
      targets: withCompare(["hookwright", "probot", "floor-receive", "limit"]),
      prepare: (shared) => {
        shared.push = largePush(keys.secret, settings.pushMiB * 1024 * 1024);
      },
      round: largePayload,
    },
    {
      id: 7,
      title: `queue: the e2e load (${settings.deliveries} issues.opened, concurrency ${settings.concurrency}, ${settings.installations} installations) on one process vs 2 receivers + 2 workers (WORKER_CONCURRENCY ${settings.workerConcurrency}) on one Redis`,
      targets: ["hookwright", "hookwright-queue", "hookwright-queue-monitor"],
      // MONITOR slows Redis: one round is enough to count.
      slow: ["hookwright-queue-monitor"],
      prepare: prepareLoad,
      round: queueLoad,
    },
  ];
}
