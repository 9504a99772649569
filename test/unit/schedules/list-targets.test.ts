import { describe, expect, it } from "@jest/globals";
import { Octokit } from "../../../src/github/octokit.js";
import { planTick } from "../../../src/schedules/list-targets.js";
import type { RegisteredSchedule } from "../../../src/schedules/schedule-types.js";

const HOUR = 3_600_000;

/** A client whose paginate answers from a table, by route. */
function client(pages: Record<string, unknown[]>): Octokit {
  const octokit = new Octokit();
  octokit.paginate = (async (route: string) => pages[route] ?? []) as never;
  return octokit;
}

function schedule(overrides: Partial<RegisteredSchedule>): RegisteredSchedule {
  return {
    id: "p/s",
    plugin: "p",
    name: "s",
    spec: { every: HOUR },
    per: "installation",
    jitterMs: 0,
    handler: () => undefined,
    ...overrides,
  };
}

const installations = [
  { id: 1, account: { login: "a" }, suspended_at: null },
  { id: 2, account: { login: "b" }, suspended_at: "2026-01-01T00:00:00Z" },
  { id: 3, account: { login: "c" } },
];
const repositories = ["r1", "r2", "r3", "r4"].map((name) => ({ name, owner: { login: "a" } }));

describe("planTick", () => {
  const plan = (overrides: Partial<RegisteredSchedule>, random = () => 0) =>
    planTick({
      schedule: schedule(overrides),
      intervalMs: HOUR,
      appClient: () => client({ "GET /app/installations": installations }),
      installationClient: (id) =>
        client({
          "GET /installation/repositories":
            id === 1
              ? [...repositories, { name: "old", owner: { login: "a" }, archived: true }]
              : [],
        }),
      random,
    });

  it("leaves suspended installations out and jitters each run", async () => {
    const runs = await plan({ jitterMs: 1000 }, () => 0.5);
    expect(runs).toEqual([
      { target: { installation: { id: 1, account: "a" } }, delayMs: 500 },
      { target: { installation: { id: 3, account: "c" } }, delayMs: 500 },
    ]);
  });

  it("spreads an installation's repositories over 80 % of the interval, or the spread given", async () => {
    expect((await plan({ per: "repository" })).map((run) => run.delayMs)).toEqual([
      0,
      0.2 * HOUR,
      0.4 * HOUR,
      0.6 * HOUR,
    ]);
    expect((await plan({ per: "repository", spreadMs: 40_000 })).map((run) => run.delayMs)).toEqual(
      [0, 10_000, 20_000, 30_000],
    );
  });

  it("runs once for the app, listing nothing", async () => {
    expect(await plan({ per: "app" })).toEqual([{ target: {}, delayMs: 0 }]);
  });
});
