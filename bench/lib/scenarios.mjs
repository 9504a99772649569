// The six scenarios of issue 3. Each `round(target, ctx)` spawns a fresh server, measures one
// run and stops it; run.mjs alternates targets round by round and takes medians.
import { performance } from "node:perf_hooks";
import { cpuMs, memory } from "./proc.mjs";
import { again, ignored, issueDeliveries, issueOpened, largePush } from "./deliveries.mjs";
import { sleep } from "./harness.mjs";
import { createAgent, post, runLoad } from "./load.mjs";
import { PLUGINS, startTarget } from "./targets.mjs";

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

async function start(name, ctx, plugin) {
  return startTarget(name, {
    plugin: PLUGINS[plugin],
    fake: ctx.fake.port,
    keys: ctx.keys,
    hookwrightDir: ctx.hookwrightDir,
    compareDir: ctx.compareDir,
  });
}

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
    const agent = createAgent(1);
    const first = await post(agent, target.port, issueOpened(keys.secret, 7001, 1));
    agent.destroy();
    return {
      readyMs: target.readyAt - target.spawnedAt,
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
      targets: withCompare(["hookwright", "hookwright-node-http", "probot-nothrottle", "limit"]),
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
      targets: withCompare(["hookwright", "hookwright-node-http", "probot", "limit-receive"]),
      // Scenario 2 may run alone (BENCH_SCENARIOS=2).
      prepare: prepareLoad,
      round: steadyLoad({ plugin: "noop", expectComments: false }),
    },
    {
      id: 3,
      title: `as shipped: ${settings.freshInstallations} concurrent deliveries to ${settings.freshInstallations} fresh installations`,
      targets: withCompare(["hookwright", "probot", "probot-nothrottle", "limit"]),
      slow: ["probot"],
      round: asShipped,
    },
    {
      id: 4,
      title: "cold start: spawn → first 200",
      targets: withCompare(["hookwright", "probot", "limit"]),
      round: coldStart,
    },
    {
      id: 5,
      title: `${settings.burst} concurrent first deliveries for one fresh installation`,
      targets: withCompare(["hookwright", "probot", "probot-nothrottle", "limit"]),
      slow: ["probot"],
      round: burst,
    },
    {
      id: 6,
      title: `${settings.pushMiB} MiB push payload (${settings.pushes} sequential deliveries)`,
      targets: withCompare(["hookwright", "probot", "limit"]),
      prepare: (shared) => {
        shared.push = largePush(keys.secret, settings.pushMiB * 1024 * 1024);
      },
      round: largePayload,
    },
  ];
}
