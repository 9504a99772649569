import { afterEach, describe, expect, it } from "@jest/globals";
import request from "supertest";
import type { App } from "../../../src/app/app.js";
import type { ScheduleContext } from "../../../src/schedules/schedule-context.js";
import type { ScheduleSpec } from "../../../src/schedules/schedule-types.js";
import {
  createManualClock,
  createManualTimers,
  createTestApp,
  readFixture,
  type ManualClock,
  type ManualTimers,
  type TestApp,
} from "../../../src/testing/index.js";

const HOUR = 3_600_000;
const START = Date.UTC(2026, 0, 1); // a Thursday, on the hour

interface Run {
  at: number;
  tick: number;
  installation?: number;
  repo?: string;
  id: string;
}

describe("app.schedule without Redis", () => {
  let app: TestApp;
  let clock: ManualClock;
  let timers: ManualTimers;
  let runs: Run[];
  afterEach(() => app.close());

  async function start(spec: ScheduleSpec, handler?: (context: ScheduleContext) => unknown) {
    clock = createManualClock(START);
    timers = createManualTimers(clock);
    runs = [];
    const plugin = (bot: App) =>
      bot.schedule("reconcile", spec, async (context) => {
        runs.push({
          at: clock.now(),
          tick: context.tick,
          installation: context.installation?.id,
          repo: context.repository && context.repo().owner + "/" + context.repo().repo,
          id: context.id,
        });
        await handler?.(context);
      });
    app = await createTestApp(plugin, {
      clock,
      timers,
      repositories: ["octo/one", "octo/two", "octo/three"],
    });
    app.github.addInstallation({ id: 2, account: { login: "other" }, repositories: ["other/x"] });
  }

  it("runs once per tick per installation, with that installation's client", async () => {
    await start({ every: "1h" }, async (context) => {
      await context.octokit.request("GET /installation/repositories");
    });
    await timers.advance(HOUR - 1);
    expect(runs).toEqual([]);
    await timers.advance(1);
    expect(runs.map(({ installation, at }) => [installation, at])).toEqual([
      [1, START + HOUR],
      [2, START + HOUR],
    ]);
    const listed = app.github.findCalls("GET /installation/repositories");
    expect(listed.map((call) => call.auth.installationId)).toEqual([1, 2]);
    // The installations were listed with the app's JWT.
    expect(app.github.findCalls("GET /app/installations")[0]!.auth.kind).toBe("jwt");
    await timers.advance(2 * HOUR);
    expect(runs.map((run) => run.tick)).toEqual([
      START + HOUR,
      START + HOUR,
      START + 2 * HOUR,
      START + 2 * HOUR,
      START + 3 * HOUR,
      START + 3 * HOUR,
    ]);
  });

  it("includes an installation added since the last tick and drops one removed", async () => {
    await start({ every: "1h" });
    await timers.advance(HOUR);
    app.github.addInstallation({ id: 3, account: { login: "new" }, repositories: ["new/x"] });
    app.github.removeInstallation(2);
    await timers.advance(HOUR);
    expect(
      runs.filter((run) => run.tick === START + 2 * HOUR).map((run) => run.installation),
    ).toEqual([1, 3]);
  });

  it("spreads repository runs over the interval and drops an uninstalled installation's pending runs", async () => {
    await start({ every: "1h", per: "repository" });
    await timers.advance(HOUR);
    const minute = 60_000;
    // Installation 1's three repositories at 0, 16 and 32 minutes (80 % of the hour); 2's one at 0.
    expect(runs.map((run) => [run.repo, run.at - START - HOUR])).toEqual([
      ["octo/one", 0],
      ["other/x", 0],
    ]);
    await timers.advance(16 * minute);
    expect(runs.at(-1)).toMatchObject({ repo: "octo/two", at: START + HOUR + 16 * minute });
    app.github.removeInstallation(1);
    await app.receive(
      "installation.deleted",
      readFixture("installation.deleted", { installation: { id: 1 } }),
    );
    await timers.advance(HOUR - 16 * minute);
    expect(runs.map((run) => run.repo)).toEqual(["octo/one", "other/x", "octo/two", "other/x"]);
    expect(runs[0]!.id).toBe(`plugin/reconcile:${START + HOUR}:1:octo/one`);
  });

  it("ticks on a cron pattern, in UTC unless told", async () => {
    await start({ cron: "0 9 * * 1", per: "app" });
    await timers.advance(7 * 24 * HOUR);
    expect(runs).toEqual([
      expect.objectContaining({ at: Date.UTC(2026, 0, 5, 9), installation: undefined }),
    ]);
  });

  it("keeps ticking after a run fails, and other runs of the tick still run", async () => {
    await start({ every: "1h" }, (context) => {
      if (context.installation?.id === 1) throw new Error("boom");
    });
    await timers.advance(2 * HOUR);
    expect(runs).toHaveLength(4);
    expect(app.logs().filter((log) => log.msg === "scheduled run failed")).toHaveLength(2);
  });

  it("shows each schedule's last and next tick on /metrics", async () => {
    await start({ every: "1h" });
    await timers.advance(HOUR);
    const { text } = await request(app.hookwright.express).get("/metrics");
    expect(text).toContain(
      `hookwright_schedule_last_run_timestamp_seconds{schedule="plugin/reconcile"} ${(START + HOUR) / 1000}`,
    );
    expect(text).toContain(
      `hookwright_schedule_next_run_timestamp_seconds{schedule="plugin/reconcile"} ${(START + 2 * HOUR) / 1000}`,
    );
  });

  it("runs a tick on demand in the test kit, and stops ticking once closed", async () => {
    await start({ every: "1h" });
    await app.runSchedule("reconcile");
    expect(runs.map((run) => run.installation)).toEqual([1, 2]);
    await app.close();
    await timers.advance(HOUR);
    expect(runs).toHaveLength(2);
    expect(timers.pending()).toBe(0);
  });

  it("refuses a schedule that cannot tick when the plugin loads", async () => {
    const load = (spec: object) =>
      createTestApp((bot: App) => bot.schedule("x", spec as ScheduleSpec, () => undefined));
    await expect(load({ every: "soon" })).rejects.toThrow(/"soon" is not a duration/);
    await expect(load({ every: "1h", cron: "* * * * *" })).rejects.toThrow(
      /either "every" or "cron"/,
    );
    await expect(load({ cron: "61 * * * *" })).rejects.toThrow(/schedule "x"/);
    await expect(load({ every: "1h", per: "org" })).rejects.toThrow(/per is/);
    await start({ every: "1h" });
  });

  it("takes options as a third argument, as the handler's neighbour", async () => {
    clock = createManualClock(START);
    timers = createManualTimers(clock);
    const seen: (string | undefined)[] = [];
    app = await createTestApp(
      (bot: App) =>
        bot.schedule("tidy", { every: "1d" }, { per: "repository" }, (context) => {
          seen.push(context.repository?.repo);
        }),
      { clock, timers, repositories: ["octo/one"] },
    );
    await timers.advance(24 * HOUR);
    expect(seen).toEqual(["one"]);
  });
});
