// Probot 14 as its users start it: `run(appFn)` reads APP_ID, PRIVATE_KEY, WEBHOOK_SECRET,
// GHE_HOST/GHE_PROTOCOL (the fake GitHub), PORT, HOST and LOG_LEVEL from the environment.
//
// PROBOT_THROTTLE=off turns the throttle off through the `Octokit` option Probot documents
// for that (docs/testing.md: `ProbotOctokit.defaults({ throttle: { enabled: false } })`).
// That object form does not survive `run()` with an APP_ID: Probot's own defaults layer
// (getProbotOctokitWithDefaults) passes a fresh `throttle` object that replaces it, so the
// throttle stays on (checked: 3 s per comment). The function form of the same option
// merges instead, so it is the one used here. PROBOT_THROTTLE=off-object keeps the
// documented form, to show that.
import { pathToFileURL } from "node:url";
import { ProbotOctokit, run } from "probot";

const plugin = (await import(pathToFileURL(process.env.BENCH_PLUGIN).href)).default;
const Octokit = {
  off: ProbotOctokit.defaults((options) => ({
    ...options,
    throttle: { ...options.throttle, enabled: false },
  })),
  "off-object": ProbotOctokit.defaults({ throttle: { enabled: false } }),
}[process.env.PROBOT_THROTTLE];
await run(plugin, Octokit ? { Octokit } : {});
