import { setTimeout as delay } from "node:timers/promises";
import { afterEach, describe, expect, it, jest } from "@jest/globals";
import {
  scheduleRedelivery,
  type RedeliverySchedule,
} from "../../../src/redeliver/schedule-redelivery.js";
import { captureLogs } from "../../helpers/capture-logs.js";
import { createDeliveryLog, createLogClients } from "../../helpers/hook-delivery-log.js";

const LIST = "/app/hook/deliveries";
const MINUTE = 60_000;
const HOUR = 60 * MINUTE;

const schedules: RedeliverySchedule[] = [];
afterEach(() => {
  for (const schedule of schedules.splice(0)) schedule.stop();
});

function setup(intervalMs = HOUR) {
  const log = createDeliveryLog(4242);
  const clients = createLogClients(log);
  const logs = captureLogs();
  let clientsMade = 0;
  const schedule = scheduleRedelivery({
    octokit: () => {
      clientsMade++;
      return clients.forApp();
    },
    intervalMs,
    logger: logs.logger,
  });
  schedules.push(schedule);
  return { ...log, logs, schedule, clientsMade: () => clientsMade };
}

const atLevel = (logs: ReturnType<typeof captureLogs>, level: number) =>
  logs.records().filter((record) => record.level === level);

describe("scheduleRedelivery", () => {
  it("redelivers on tick() and logs one info line listing the guids", async () => {
    const { github, logs, schedule, deliver } = setup();
    deliver(1, "failed", 10 * MINUTE, 500);
    deliver(2, "fine", 9 * MINUTE, 200);
    deliver(3, "unanswered", 8 * MINUTE, 0);
    await expect(schedule.tick()).resolves.toBeUndefined();
    expect(github.redeliveryRequests.slice().sort()).toEqual([1, 3]);
    const info = atLevel(logs, 30);
    expect(info).toHaveLength(1);
    expect(info[0]?.msg).toBe("asked GitHub to redeliver failed deliveries");
    expect((info[0]?.redelivered as string[]).slice().sort()).toEqual(["failed", "unanswered"]);
    expect(info[0]?.gaveUp).toEqual([]);
    expect(atLevel(logs, 40)).toEqual([]);
  });

  it("finds nothing more on a second tick right after: GitHub recorded the redeliveries' successes", async () => {
    const { github, logs, schedule, deliver } = setup();
    deliver(1, "failed", 10 * MINUTE, 500);
    await schedule.tick();
    expect(github.redeliveryRequests).toEqual([1]);
    await schedule.tick();
    expect(github.redeliveryRequests).toEqual([1]);
    expect(github.callsTo("GET", LIST)).toHaveLength(2);
    // Nothing redelivered, nothing given up: nothing logged the second time.
    expect(atLevel(logs, 30)).toHaveLength(1);
  });

  it("logs nothing at info when there is nothing to redeliver", async () => {
    const { github, logs, schedule, deliver } = setup();
    deliver(1, "fine", MINUTE, 200);
    await schedule.tick();
    expect(github.callsTo("GET", LIST)).toHaveLength(1);
    expect(logs.records()).toEqual([]);
  });

  it("names the guids it gave up on in the same info line", async () => {
    const { github, logs, schedule, deliver } = setup();
    for (let n = 0; n < 5; n++) deliver(10 + n, "hopeless", (30 - n) * MINUTE, 500);
    await schedule.tick();
    expect(github.redeliveryRequests).toEqual([]);
    const info = atLevel(logs, 30);
    expect(info).toHaveLength(1);
    expect(info[0]).toMatchObject({ redelivered: [], gaveUp: ["hopeless"] });
  });

  it("shares one pass between overlapping ticks: one list request, one client", async () => {
    const { github, schedule, deliver, clientsMade } = setup();
    deliver(1, "failed", MINUTE, 500);
    const first = schedule.tick();
    const second = schedule.tick();
    expect(second).toBe(first);
    await Promise.all([first, second]);
    expect(github.callsTo("GET", LIST)).toHaveLength(1);
    expect(github.redeliveryRequests).toEqual([1]);
    expect(clientsMade()).toBe(1);
  });

  it("starts a new pass once the previous one finished", async () => {
    const { github, schedule } = setup();
    const first = schedule.tick();
    await first;
    const second = schedule.tick();
    expect(second).not.toBe(first);
    await second;
    expect(github.callsTo("GET", LIST)).toHaveLength(2);
  });

  it("logs a failing GitHub at warn and resolves, and the next tick tries again", async () => {
    const { github, logs, schedule, deliver } = setup();
    deliver(1, "failed", MINUTE, 500);
    github.failNext({ path: LIST }, { status: 401 });
    await expect(schedule.tick()).resolves.toBeUndefined();
    expect(github.redeliveryRequests).toEqual([]);
    const warn = atLevel(logs, 40);
    expect(warn).toHaveLength(1);
    expect(warn[0]?.msg).toBe("could not redeliver failed deliveries");
    expect(warn[0]?.err).toBeDefined();
    await schedule.tick();
    expect(github.redeliveryRequests).toEqual([1]);
    expect(atLevel(logs, 40)).toHaveLength(1);
  });

  it("logs at warn, never throwing, when even the client cannot be made", async () => {
    const logs = captureLogs();
    const schedule = scheduleRedelivery({
      octokit: () => {
        throw new Error("no app credentials");
      },
      intervalMs: HOUR,
      logger: logs.logger,
    });
    schedules.push(schedule);
    await expect(schedule.tick()).resolves.toBeUndefined();
    expect(atLevel(logs, 40)).toHaveLength(1);
  });

  it("looks back two intervals, and at least an hour", async () => {
    // A one-minute interval still looks an hour back: 50 minutes ago is in, 70 is out.
    const short = setup(MINUTE);
    short.deliver(1, "in", 50 * MINUTE, 500);
    short.deliver(2, "out", 70 * MINUTE, 500);
    await short.schedule.tick();
    expect(short.github.redeliveryRequests).toEqual([1]);
    // A two-hour interval looks four hours back.
    const long = setup(2 * HOUR);
    long.deliver(1, "in", 3.5 * HOUR, 500);
    long.deliver(2, "out", 4.5 * HOUR, 500);
    await long.schedule.tick();
    expect(long.github.redeliveryRequests).toEqual([1]);
  });

  it("never looks further back than GitHub keeps the log (three days)", async () => {
    const { github, schedule, deliver } = setup(3 * 24 * HOUR);
    deliver(1, "in", 71 * HOUR, 500);
    deliver(2, "out", 73 * HOUR, 500);
    await schedule.tick();
    expect(github.redeliveryRequests).toEqual([1]);
  });

  it("gives up on a handler that always fails instead of redelivering it every interval", async () => {
    // The server's handler fails every delivery of this event, redeliveries included. With
    // maxFailures 5, the schedule should stop after the fifth failure; it must not keep asking
    // every interval for as long as the app runs.
    const { github, clock, schedule, deliver } = setup(30 * MINUTE);
    deliver(1, "always-fails", MINUTE, 500);
    let now = Date.now();
    const dateNow = jest.spyOn(Date, "now").mockImplementation(() => now);
    try {
      for (let pass = 0; pass < 12; pass++) {
        clock.set(now);
        await schedule.tick();
        for (const attempt of github.hookDeliveries) attempt.statusCode = 500;
        now += 30 * MINUTE;
      }
    } finally {
      dateNow.mockRestore();
    }
    // Six hours of passes: the first failure plus at most four redeliveries make five.
    expect(github.redeliveryRequests.length).toBeLessThanOrEqual(4);
  });

  it("runs passes on its timer until stopped", async () => {
    const { github, schedule } = setup(20);
    const deadline = Date.now() + 5000;
    while (github.callsTo("GET", LIST).length < 2 && Date.now() < deadline) await delay(10);
    expect(github.callsTo("GET", LIST).length).toBeGreaterThanOrEqual(2);
    schedule.stop();
    await delay(60); // a pass in flight when stopped may still finish
    const afterStop = github.callsTo("GET", LIST).length;
    await delay(200);
    expect(github.callsTo("GET", LIST)).toHaveLength(afterStop);
  });
});
