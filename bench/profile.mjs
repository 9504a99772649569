// Profiles a target's hot path: scenario 1 (e2e, warm cache) under `node --cpu-prof`, then
// prints where the CPU went. Usage: node bench/profile.mjs [deliveries]
// BENCH_PROFILE_TARGET=hookwright (default) | floor | floor-receive | limit | probot-nothrottle
// | limit-receive | hookwright-node-http; BENCH_PROFILE_PLUGIN=comment (default) | noop.
// BENCH_PROFILE_AGAINST=floor (a comma list of targets): profiles those too, one after the
// other, and prints CPU per delivery by category side by side, with the difference.
import { mkdtempSync, readdirSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import { categorise, summarise } from "./lib/cpu-profile.mjs";
import { issueDeliveries } from "./lib/deliveries.mjs";
import { envNumber, makeKeys, startFake } from "./lib/harness.mjs";
import { runLoad } from "./lib/load.mjs";
import { PLUGINS, startTarget } from "./lib/targets.mjs";

const hookwrightDir = resolve(
  process.env.BENCH_HOOKWRIGHT_DIR ?? fileURLToPath(new URL("..", import.meta.url)),
);
const count = Number(process.argv[2] ?? envNumber("BENCH_E2E_DELIVERIES", 3000));
const warmup = 300;
const plugin = process.env.BENCH_PROFILE_PLUGIN ?? "comment";
const targetName = process.env.BENCH_PROFILE_TARGET ?? "hookwright";
const against = process.env.BENCH_PROFILE_AGAINST?.split(",").filter(Boolean) ?? [];
const keys = makeKeys();
const fake = await startFake();

async function profile(name) {
  const dir = mkdtempSync(join(tmpdir(), "hookwright-profile-"));
  await fake.reset();
  const target = await startTarget(name, {
    plugin: PLUGINS[plugin],
    fake: fake.port,
    keys,
    hookwrightDir,
    nodeArgs: ["--cpu-prof", `--cpu-prof-dir=${dir}`, "--cpu-prof-interval=200"],
  });
  const deliveries = issueDeliveries(keys.secret, { count, installations: 20 });
  await runLoad({ port: target.port, deliveries: deliveries.slice(0, warmup), concurrency: 50 });
  const result = await runLoad({ port: target.port, deliveries, concurrency: 50 });
  await target.stop(15_000);
  console.log(
    `${name}: ${count} deliveries (${plugin} plugin): ${JSON.stringify(result.statuses)}`,
  );
  return join(
    dir,
    readdirSync(dir).find((file) => file.endsWith(".cpuprofile")),
  );
}

try {
  const file = await profile(targetName);
  if (against.length === 0) {
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
  } else {
    const names = [targetName, ...against];
    const files = [file];
    for (const name of against) files.push(await profile(name));
    // Per delivery over the whole process life (warm-up included, start-up's module loading
    // apart), so the categories add up to the profile.
    const tables = files.map((f) =>
      categorise(f, { root: hookwrightDir, deliveries: count + warmup }),
    );
    const categories = [...new Set(tables.flatMap((t) => [...t.keys()]))].sort(
      (a, b) => (tables[0].get(b) ?? 0) - (tables[0].get(a) ?? 0),
    );
    const ms = (t, c) => t.get(c) ?? 0;
    const total = (t) =>
      [...t].filter(([c]) => c !== "module loading").reduce((s, [, v]) => s + v, 0);
    console.log(
      `\nCPU ms per delivery by category (${count + warmup} deliveries; profiles: ${files.join(", ")})\n`,
    );
    console.log(`| category | ${names.join(" | ")} | ${names[0]} − ${names[1]} |`);
    console.log(`|---|${names.map(() => "---:").join("|")}|---:|`);
    for (const c of categories)
      console.log(
        `| ${c} | ${tables.map((t) => ms(t, c).toFixed(3)).join(" | ")} | ${(ms(tables[0], c) - ms(tables[1], c)).toFixed(3)} |`,
      );
    console.log(
      `| **total, module loading apart** | ${tables.map((t) => total(t).toFixed(3)).join(" | ")} | ${(total(tables[0]) - total(tables[1])).toFixed(3)} |`,
    );
  }
} finally {
  fake.close();
}
