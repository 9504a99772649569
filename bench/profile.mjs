// Profiles a target's hot path: scenario 1 (e2e, warm cache) under `node --cpu-prof`, then
// prints where the CPU went. Usage: node bench/profile.mjs [deliveries]
// BENCH_PROFILE_TARGET=hookwright (default) | limit | probot-nothrottle | limit-receive;
// BENCH_PROFILE_PLUGIN=comment (default) | noop.
import { mkdtempSync, readdirSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import { summarise } from "./lib/cpu-profile.mjs";
import { issueDeliveries } from "./lib/deliveries.mjs";
import { envNumber, makeKeys, startFake } from "./lib/harness.mjs";
import { runLoad } from "./lib/load.mjs";
import { PLUGINS, startTarget } from "./lib/targets.mjs";

const hookwrightDir = resolve(
  process.env.BENCH_HOOKWRIGHT_DIR ?? fileURLToPath(new URL("..", import.meta.url)),
);
const count = Number(process.argv[2] ?? envNumber("BENCH_E2E_DELIVERIES", 3000));
const plugin = process.env.BENCH_PROFILE_PLUGIN ?? "comment";
const targetName = process.env.BENCH_PROFILE_TARGET ?? "hookwright";
const dir = mkdtempSync(join(tmpdir(), "hookwright-profile-"));
const keys = makeKeys();
const fake = await startFake();
try {
  const target = await startTarget(targetName, {
    plugin: PLUGINS[plugin],
    fake: fake.port,
    keys,
    hookwrightDir,
    nodeArgs: ["--cpu-prof", `--cpu-prof-dir=${dir}`, "--cpu-prof-interval=200"],
  });
  const deliveries = issueDeliveries(keys.secret, { count, installations: 20 });
  await runLoad({ port: target.port, deliveries: deliveries.slice(0, 300), concurrency: 50 });
  const result = await runLoad({ port: target.port, deliveries, concurrency: 50 });
  await target.stop(15_000);
  console.log(
    `${targetName}: ${count} deliveries (${plugin} plugin): ${JSON.stringify(result.statuses)}`,
  );
  const file = join(
    dir,
    readdirSync(dir).find((name) => name.endsWith(".cpuprofile")),
  );
  const summary = summarise(file, { root: hookwrightDir });
  const row = ([name, ms]) =>
    `| ${name.replaceAll("|", "\\|")} | ${ms.toFixed(0)} | ${((100 * ms) / summary.busyMs).toFixed(1)}% |`;
  console.log(
    `\nprofile: ${file}\nbusy ${summary.busyMs.toFixed(0)} ms of ${summary.totalMs.toFixed(0)} ms (whole process life, warm-up and start included)\n`,
  );
  console.log("| self time by module | ms | share of busy |\n|---|---:|---:|");
  for (const entry of summary.modules) console.log(row(entry));
  console.log("\n| self time by function | ms | share of busy |\n|---|---:|---:|");
  for (const entry of summary.functions) console.log(row(entry));
  console.log("\n| inclusive time, framework functions | ms | share of busy |\n|---|---:|---:|");
  for (const entry of summary.inclusive) console.log(row(entry));
} finally {
  fake.close();
}
