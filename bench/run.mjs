// `npm run bench`: hookwright side by side with Probot 14 and hand-written limits, on one
// machine, in one run. Targets alternate round by round (A B C A B C …) under the same load;
// the tables give medians with min–max over rounds, and ratios to the limit from this run.
// Settings (environment): see README.md beside this file.
import { existsSync, mkdirSync, writeFileSync } from "node:fs";
import { cpus, loadavg, tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { performance } from "node:perf_hooks";
import { fileURLToPath } from "node:url";
import { envNumber, makeKeys, median, startFake } from "./lib/harness.mjs";
import { createScenarios } from "./lib/scenarios.mjs";
import { TARGETS } from "./lib/targets.mjs";

const quick = process.env.BENCH_QUICK === "1";
const settings = {
  rounds: envNumber("BENCH_ROUNDS", quick ? 1 : 3),
  slowRounds: envNumber("BENCH_SLOW_ROUNDS", 1),
  deliveries: envNumber("BENCH_DELIVERIES", quick ? 300 : 3000),
  concurrency: envNumber("BENCH_CONCURRENCY", 50),
  installations: envNumber("BENCH_INSTALLATIONS", 20),
  warmup: envNumber("BENCH_WARMUP", quick ? 100 : 300),
  freshInstallations: envNumber("BENCH_FRESH_INSTALLATIONS", 20),
  burst: envNumber("BENCH_BURST", quick ? 100 : 500),
  pushMiB: envNumber("BENCH_PUSH_MIB", 5),
  pushes: envNumber("BENCH_PUSHES", quick ? 1 : 3),
  slowTimeoutS: envNumber("BENCH_SLOW_TIMEOUT_S", quick ? 5 : 90),
  burstWaitS: envNumber("BENCH_BURST_WAIT_S", quick ? 5 : 15),
  roundTimeoutS: envNumber("BENCH_ROUND_TIMEOUT_S", 120),
  workerConcurrency: envNumber("BENCH_WORKER_CONCURRENCY", 10),
};
settings.warmupCount = Math.max(settings.warmup, settings.installations);
const only = process.env.BENCH_SCENARIOS?.split(",").map(Number);
const onlyTargets = process.env.BENCH_TARGETS?.split(",");
const repoDir = fileURLToPath(new URL("..", import.meta.url));
const hookwrightDir = resolve(process.env.BENCH_HOOKWRIGHT_DIR ?? repoDir);
if (!existsSync(resolve(hookwrightDir, "dist/src/cli/main.js"))) {
  console.error(`hookwright is not built in ${hookwrightDir}: run \`npm run build\` first`);
  process.exit(2);
}

const compareDir = process.env.BENCH_COMPARE_DIR
  ? resolve(process.env.BENCH_COMPARE_DIR)
  : undefined;
if (compareDir && !existsSync(resolve(compareDir, "dist/src/cli/main.js"))) {
  console.error(`BENCH_COMPARE_DIR ${compareDir} has no built hookwright (dist/src/cli/main.js)`);
  process.exit(2);
}

const fmt = (value, digits) =>
  Number.isFinite(value)
    ? value.toFixed(digits ?? (Math.abs(value) >= 100 ? 0 : Math.abs(value) >= 10 ? 1 : 2))
    : "–";
function spread(values, digits) {
  const finite = values.filter(Number.isFinite);
  if (finite.length === 0) return "–";
  const m = fmt(median(finite), digits);
  if (finite.length === 1) return m;
  return `${m} (${fmt(Math.min(...finite), digits)}–${fmt(Math.max(...finite), digits)})`;
}
const ratio = (a, b) =>
  Number.isFinite(a) && Number.isFinite(b) && b !== 0 ? `${(a / b).toFixed(2)}×` : "–";
const counts = (list) => {
  const total = {};
  for (const statuses of list)
    for (const [k, v] of Object.entries(statuses)) total[k] = (total[k] ?? 0) + v;
  return Object.entries(total)
    .map(([k, v]) => `${k}:${v}`)
    .join(" ");
};
function table(header, rows) {
  return [
    `| ${header.join(" | ")} |`,
    `|${header.map(() => "---").join("|")}|`,
    ...rows.map((r) => `| ${r.join(" | ")} |`),
  ].join("\n");
}

const out = [];
const say = (text = "") => {
  out.push(text);
  console.log(text);
};

const keys = makeKeys();
const fake = await startFake();
const ctx = { settings, keys, fake, hookwrightDir, compareDir, shared: {} };
const results = {};
const started = Date.now();
say(`# hookwright bench — ${new Date().toISOString()}`);
say();
say(
  `node ${process.version}, ${cpus().length} × ${cpus()[0]?.model ?? "cpu"}, load average at start ${loadavg()
    .map((l) => l.toFixed(2))
    .join(" ")}`,
);
say(`hookwright from ${hookwrightDir}${compareDir ? `; compared with ${compareDir}` : ""}`);
say(`settings: ${JSON.stringify(settings)}`);

try {
  for (const scenario of createScenarios(settings, keys, { compare: Boolean(compareDir) })) {
    if (only && !only.includes(scenario.id)) continue;
    const targets = scenario.targets.filter((t) => !onlyTargets || onlyTargets.includes(t));
    scenario.prepare?.(ctx.shared);
    const runs = Object.fromEntries(targets.map((t) => [t, []]));
    console.error(`scenario ${scenario.id}: ${scenario.title}`);
    for (let round = 0; round < settings.rounds; round++) {
      for (const target of targets) {
        if (scenario.slow?.includes(target) && round >= settings.slowRounds) continue;
        const t0 = performance.now();
        try {
          runs[target].push(await scenario.round(target, ctx));
        } catch (error) {
          console.error(`  ${target} round ${round + 1} failed: ${error.message}`);
          runs[target].push({ error: error.message });
        }
        console.error(
          `  round ${round + 1} ${target}: ${((performance.now() - t0) / 1000).toFixed(1)} s`,
        );
      }
    }
    results[scenario.id] = { title: scenario.title, runs, skipped: scenario.skipped };
  }
} finally {
  fake.close();
}

const col = (runs, key) => runs.filter((r) => !r.error).map((r) => r[key]);
const med = (id, target, key) => median(col(results[id]?.runs[target] ?? [], key));
const label = (t) => TARGETS[t].label;
const roundsOf = (runs) =>
  `${runs.filter((r) => !r.error).length}${runs.some((r) => r.error) ? ` (${runs.filter((r) => r.error).length} failed)` : ""}`;

function section(id, header, row) {
  const result = results[id];
  if (!result) return;
  say();
  say(`## ${id}. ${result.title}`);
  say();
  say(
    table(
      header,
      Object.entries(result.runs).map(([t, runs]) => [label(t), ...row(t, runs), roundsOf(runs)]),
    ),
  );
  for (const [t, why] of Object.entries(result.skipped ?? {}))
    say(`\n${label(t)}: not run, ${why}.`);
}

section(
  1,
  [
    "target",
    "deliveries/s",
    "× limit",
    "× floor",
    "CPU ms/delivery",
    "× limit",
    "× floor",
    "p50 ms",
    "p99 ms",
    "RSS end MiB",
    "× floor",
    "RSS peak MiB",
    "max token exchanges / installation",
    "non-200",
    "rounds",
  ],
  (t, runs) => [
    spread(col(runs, "throughput")),
    ratio(med(1, t, "throughput"), med(1, "limit", "throughput")),
    ratio(med(1, t, "throughput"), med(1, "floor", "throughput")),
    spread(col(runs, "cpuPerDelivery"), 3),
    ratio(med(1, t, "cpuPerDelivery"), med(1, "limit", "cpuPerDelivery")),
    ratio(med(1, t, "cpuPerDelivery"), med(1, "floor", "cpuPerDelivery")),
    spread(col(runs, "p50")),
    spread(col(runs, "p99")),
    spread(col(runs, "rssMiB")),
    ratio(med(1, t, "rssMiB"), med(1, "floor", "rssMiB")),
    spread(col(runs, "peakMiB")),
    spread(col(runs, "maxExchanges"), 0),
    String(col(runs, "failures").reduce((a, b) => a + b, 0)),
  ],
);
section(
  2,
  [
    "target",
    "deliveries/s",
    "× limit",
    "CPU ms/delivery",
    "× limit",
    "× Express floor",
    "p50 ms",
    "p99 ms",
    "RSS end MiB",
    "RSS peak MiB",
    "non-200",
    "rounds",
  ],
  (t, runs) => [
    spread(col(runs, "throughput")),
    ratio(med(2, t, "throughput"), med(2, "limit-receive", "throughput")),
    spread(col(runs, "cpuPerDelivery"), 3),
    ratio(med(2, t, "cpuPerDelivery"), med(2, "limit-receive", "cpuPerDelivery")),
    ratio(med(2, t, "cpuPerDelivery"), med(2, "floor-receive", "cpuPerDelivery")),
    spread(col(runs, "p50")),
    spread(col(runs, "p99")),
    spread(col(runs, "rssMiB")),
    spread(col(runs, "peakMiB")),
    String(col(runs, "failures").reduce((a, b) => a + b, 0)),
  ],
);
section(
  3,
  [
    "target",
    "all comments exist after, ms",
    "comments",
    "max token exchanges / installation",
    "responses",
    "rounds",
  ],
  (t, runs) => [
    runs.some((r) => r.timedOut)
      ? `> ${settings.slowTimeoutS * 1000} (timed out)`
      : spread(col(runs, "allCommentsMs")),
    spread(col(runs, "comments"), 0),
    spread(col(runs, "maxExchanges"), 0),
    counts(col(runs, "statuses")),
  ],
);
section(
  4,
  [
    "target",
    "spawn → GET /ping 200, ms",
    "× Express floor",
    "× Probot",
    "CPU until ready, ms",
    "× Express floor",
    "spawn → first delivery 200, ms",
    "RSS MiB",
    "rounds",
  ],
  (t, runs) => [
    spread(col(runs, "readyMs")),
    ratio(med(4, t, "readyMs"), med(4, "floor-receive", "readyMs")),
    ratio(med(4, t, "readyMs"), med(4, "probot", "readyMs")),
    spread(col(runs, "readyCpuMs")),
    ratio(med(4, t, "readyCpuMs"), med(4, "floor-receive", "readyCpuMs")),
    spread(col(runs, "firstDeliveryMs")),
    spread(col(runs, "rssMiB")),
  ],
);
section(
  5,
  ["target", "token exchanges", "all comments exist after, ms", "comments", "responses", "rounds"],
  (t, runs) => [
    spread(col(runs, "exchanges"), 0),
    spread(col(runs, "allCommentsMs")),
    spread(col(runs, "comments"), 0),
    counts(col(runs, "statuses")),
  ],
);
section(
  6,
  ["target", "ack ms", "RSS growth MiB", "peak growth MiB", "responses", "rounds"],
  (t, runs) => [
    spread(col(runs, "ackMs")),
    spread(col(runs, "rssGrowthMiB")),
    spread(col(runs, "peakGrowthMiB")),
    counts(col(runs, "statuses")),
  ],
);

if (results[7]) {
  section(
    7,
    [
      "target",
      "deliveries/s to the last comment",
      "ms to the last 2xx",
      "ms to the last comment",
      "hookwright CPU ms/delivery",
      "redis-server CPU ms/delivery",
      "ack p50 ms",
      "ack p99 ms",
      "RSS end MiB (all hookwright)",
      "Redis calls/delivery (commandstats)",
      "sent by clients/delivery (MONITOR)",
      "token exchanges (max / installation; in the measured load)",
      "non-2xx",
      "rounds",
    ],
    (t, runs) => [
      spread(col(runs, "throughputDone")),
      spread(col(runs, "lastAckMs")),
      runs.some((r) => r.timedOut) ? "timed out" : spread(col(runs, "doneMs")),
      spread(col(runs, "cpuPerDelivery"), 3),
      spread(col(runs, "redisCpuPerDelivery"), 3),
      spread(col(runs, "p50")),
      spread(col(runs, "p99")),
      spread(col(runs, "rssMiB")),
      spread(col(runs, "redisCallsPerDelivery")),
      spread(col(runs, "clientCallsPerDelivery")),
      `${spread(col(runs, "exchanges"), 0)} (${spread(col(runs, "maxExchanges"), 0)}; ${spread(col(runs, "loadExchanges"), 0)})`,
      [
        col(runs, "failures").reduce((a, b) => a + b, 0),
        ...new Set(runs.filter((r) => r.failures > 0).map((r) => counts([r.statuses]))),
        ...new Set(col(runs, "firstError").filter(Boolean)),
      ].join("; "),
    ],
  );
  // Per command, per delivery: commandstats (medians over rounds; script-internal commands
  // included, as Redis counts them) and, from the MONITOR round, sent by clients vs in scripts.
  const queueRuns = (results[7].runs["hookwright-queue"] ?? []).filter((r) => r.calls);
  const monitored = (results[7].runs["hookwright-queue-monitor"] ?? []).filter((r) => r.monitored);
  const commands = new Set();
  for (const r of queueRuns) for (const c of Object.keys(r.calls)) commands.add(c);
  for (const r of monitored)
    for (const side of [r.monitored.client, r.monitored.lua])
      for (const c of Object.keys(side)) commands.add(c);
  const perDelivery = (list, pick) =>
    spread(
      list.map((r) => (pick(r) ?? 0) / r.deliveries),
      3,
    );
  if (commands.size) {
    const rows = [...commands]
      .map((c) => [
        c,
        perDelivery(queueRuns, (r) => r.calls[c]),
        perDelivery(monitored, (r) => r.monitored.client[c]),
        perDelivery(monitored, (r) => r.monitored.lua[c]),
      ])
      .sort(
        (a, b) => Number.parseFloat(b[1]) - Number.parseFloat(a[1]) || a[0].localeCompare(b[0]),
      );
    say();
    say("Redis commands per delivery, 2 receivers + 2 workers (the measured load only):");
    say();
    say(
      table(
        [
          "command",
          "commandstats (all rounds)",
          "sent by clients (MONITOR round)",
          "inside scripts (MONITOR round)",
        ],
        rows,
      ),
    );
  }
  const byKey = {};
  for (const r of monitored)
    for (const [what, calls] of Object.entries(r.monitored.clientByKey))
      (byKey[what] ??= []).push(calls / r.deliveries);
  if (Object.keys(byKey).length) {
    say();
    say("Sent by clients, by command and first key (MONITOR round, per delivery):");
    say();
    say(
      table(
        ["command and first key", "per delivery"],
        Object.entries(byKey)
          .sort((a, b) => median(b[1]) - median(a[1]))
          .map(([what, values]) => [`\`${what}\``, spread(values, 3)]),
      ),
    );
  }
}

// The issue's targets, from this run's medians.
const checks = [];
const check = (what, want, got, ok) =>
  checks.push([what, want, got, ok === undefined ? "–" : ok ? "met" : "**missed**"]);
const num = (v) => Number.isFinite(v);
const x = (a, b) => a / b;
if (results[1]) {
  const hw = (key) => med(1, "hookwright", key);
  const tpFloor = x(hw("throughput"), med(1, "floor", "throughput"));
  const tpProbot = x(hw("throughput"), med(1, "probot-nothrottle", "throughput"));
  check(
    "e2e throughput",
    "≥ 0.95 × floor and ≥ 1.25 × Probot throttle off",
    `${fmt(hw("throughput"))} rps: ${fmt(tpFloor)}× floor, ${fmt(tpProbot)}× Probot`,
    num(tpFloor) && num(tpProbot) ? tpFloor >= 0.95 && tpProbot >= 1.25 : undefined,
  );
  const cpu = x(hw("cpuPerDelivery"), med(1, "floor", "cpuPerDelivery"));
  check(
    "e2e CPU per delivery",
    "≤ 1.10 × floor",
    `${fmt(hw("cpuPerDelivery"), 3)} vs ${fmt(med(1, "floor", "cpuPerDelivery"), 3)} ms = ${fmt(cpu)}×`,
    num(cpu) ? cpu <= 1.1 : undefined,
  );
  const rss = x(hw("rssMiB"), med(1, "floor", "rssMiB"));
  check(
    "RSS after the e2e run",
    "≤ 1.10 × floor",
    `${fmt(hw("rssMiB"))} vs ${fmt(med(1, "floor", "rssMiB"))} MiB = ${fmt(rss)}×`,
    num(rss) ? rss <= 1.1 : undefined,
  );
  const ex = Math.max(...col(results[1].runs.hookwright ?? [], "maxExchanges"));
  check(
    "one token exchange per installation (1)",
    "exactly 1",
    String(ex),
    num(ex) ? ex === 1 : undefined,
  );
}
if (results[2]) {
  const hw = med(2, "hookwright", "cpuPerDelivery");
  const cpu = x(hw, med(2, "floor-receive", "cpuPerDelivery"));
  check(
    "receive-only CPU per delivery",
    "≤ 1.15 × Express floor",
    `${fmt(hw, 3)} vs ${fmt(med(2, "floor-receive", "cpuPerDelivery"), 3)} ms = ${fmt(cpu)}×`,
    num(cpu) ? cpu <= 1.15 : undefined,
  );
}
if (results[3]) {
  const runs = results[3].runs.hookwright ?? [];
  const worst = Math.max(...col(runs, "allCommentsMs"));
  check(
    "as shipped: 20 comments",
    "≤ 500 ms",
    `${fmt(med(3, "hookwright", "allCommentsMs"))} ms (worst ${fmt(worst)})`,
    runs.length ? worst <= 500 && !runs.some((r) => r.timedOut) : undefined,
  );
  const ex = Math.max(...col(runs, "maxExchanges"));
  check(
    "one token exchange per installation (3)",
    "exactly 1",
    String(ex),
    num(ex) ? ex === 1 : undefined,
  );
}
if (results[4]) {
  // The first 200 the process gives (GET /ping); the first delivery also pays a token exchange.
  const ready = med(4, "hookwright", "readyMs");
  const toFloor = x(ready, med(4, "floor-receive", "readyMs"));
  const toProbot = x(ready, med(4, "probot", "readyMs"));
  check(
    "cold start: spawn → first 200",
    "≤ 1.3 × Express floor and ≤ 0.65 × Probot",
    `${fmt(ready)} ms to GET /ping: ${fmt(toFloor)}× floor (${fmt(med(4, "floor-receive", "readyMs"))} ms), ${fmt(toProbot)}× Probot (${fmt(med(4, "probot", "readyMs"))} ms); first delivery at ${fmt(med(4, "hookwright", "firstDeliveryMs"))} ms`,
    num(toFloor) && num(toProbot) ? toFloor <= 1.3 && toProbot <= 0.65 : undefined,
  );
}
if (results[5]) {
  const ex = Math.max(...col(results[5].runs.hookwright ?? [], "exchanges"));
  check(
    "one token exchange per installation (5)",
    "exactly 1",
    String(ex),
    num(ex) ? ex === 1 : undefined,
  );
}
if (results[7]) {
  const sent = med(7, "hookwright-queue-monitor", "clientCallsPerDelivery");
  check(
    "queue: Redis round trips per delivery, warm token",
    "≤ 3",
    `${fmt(sent)} commands sent by clients per delivery (MONITOR); ${fmt(med(7, "hookwright-queue", "redisCallsPerDelivery"))} with script-internal ones (commandstats)`,
    num(sent) ? sent <= 3 : undefined,
  );
  const ex = Math.max(...col(results[7].runs["hookwright-queue"] ?? [], "maxExchanges"));
  check(
    "queue: one token exchange per installation (7)",
    "exactly 1",
    num(ex) ? String(ex) : "–",
    num(ex) ? ex === 1 : undefined,
  );
}
const refusals = Object.entries(results).flatMap(([id, { runs }]) =>
  Object.entries(runs).flatMap(([t, list]) =>
    list.filter((r) => r.refused > 0).map((r) => `scenario ${id} ${label(t)}: ${r.refused}`),
  ),
);
say();
say(
  refusals.length
    ? `**The fake GitHub refused requests** (wrong installation's token or unknown route): ${refusals.join("; ")}`
    : "The fake GitHub refused no request (every comment carried its installation's token).",
);
if (checks.length) {
  say();
  say("## Targets (hookwright, ratios from this run)");
  say();
  say(table(["target", "wanted", "measured", ""], checks));
}
say();
say(`total ${((Date.now() - started) / 1000).toFixed(0)} s`);

// Outside the repository: RESULTS.md is where a run worth keeping is recorded.
const outDir = join(tmpdir(), "hookwright-bench");
mkdirSync(outDir, { recursive: true });
writeFileSync(join(outDir, "last-run.md"), `${out.join("\n")}\n`);
writeFileSync(join(outDir, "last-run.json"), `${JSON.stringify({ settings, results }, null, 2)}\n`);
console.error(`written: ${join(outDir, "last-run.md")} and last-run.json`);
