import { afterEach, describe, expect, it } from "@jest/globals";
import {
  createManualClock,
  createManualTimers,
  createTestApp,
  type ManualTimers,
  type TestApp,
} from "hookwright/testing";
import reminder, { DEFAULTS } from "../../plugins/unlabelled-reminder/index.js";

const REPO = "octo/hello";
const QUIET = "octo/quiet";
const DAY = 86_400_000;
const FIRST_MONDAY = Date.UTC(2026, 0, 5, 9);

describe("unlabelled-reminder", () => {
  let app: TestApp;
  let timers: ManualTimers;
  afterEach(() => app.close());

  async function start() {
    const clock = createManualClock(Date.UTC(2026, 0, 1));
    timers = createManualTimers(clock);
    app = await createTestApp(reminder, {
      clock,
      timers,
      repositories: {
        [REPO]: {
          files: { ".github/unlabelled-reminder.yml": "graceDays: 1\n" },
          issues: [
            { title: "Crash on start" },
            { title: "Typo in README", labels: ["documentation"] },
            { title: "Slow search" },
          ],
          pulls: [{ title: "Fix crash" }],
        },
        [QUIET]: { issues: [{ title: "Nobody asked for a reminder here" }] },
      },
    });
    return clock;
  }

  const reminders = () =>
    app.github.records.issues.filter((issue) => issue.title === DEFAULTS.title);

  it("opens one issue on Monday listing the unlabelled issues, only where configured", async () => {
    const clock = await start();
    await timers.advance(FIRST_MONDAY - clock.now());
    expect(reminders()).toHaveLength(1);
    expect(reminders()[0]).toMatchObject({
      repo: REPO,
      body: "2 open issue(s) have no labels yet:\n\n- [ ] #1 Crash on start\n- [ ] #3 Slow search",
    });
  });

  it("updates the same issue the next week, and closes it once everything is labelled", async () => {
    const clock = await start();
    await timers.advance(FIRST_MONDAY - clock.now());
    app.github.seed(REPO, { issues: [{ title: "Needs a look", labels: [] }] });
    await timers.advance(7 * DAY);
    expect(reminders()).toHaveLength(1);
    // Opened a week after the first reminder: older than the one day of grace.
    expect(reminders()[0]!.body).toMatch(/3 open issue\(s\).*#6 Needs a look/s);
    for (const number of [1, 3, 6]) {
      await app.hookwright.clients.forInstallation(1).rest.issues.addLabels({
        owner: "octo",
        repo: "hello",
        issue_number: number,
        labels: ["x"],
      });
    }
    await timers.advance(7 * DAY);
    expect(reminders()[0]!.state).toBe("closed");
  });

  it("leaves issues opened within the grace period alone", async () => {
    await start();
    await app.runSchedule("weekly");
    expect(reminders()).toEqual([]);
  });
});
