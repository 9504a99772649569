import { describe, expect, it } from "@jest/globals";
import { redeliverFailed } from "../../../src/redeliver/redeliver-failed.js";
import { createMemoryAckedFailures } from "../../../src/webhooks/acked-failures.js";
import { createDeliveryLog, createLogClients } from "../../helpers/hook-delivery-log.js";

const API = "https://api.github.test";
const LIST = "/app/hook/deliveries";
const REDELIVER = /^\/app\/hook\/deliveries\/\d+\/attempts$/;
const MINUTE = 60_000;
const HOUR = 60 * MINUTE;

function setup() {
  const log = createDeliveryLog(4242);
  return { ...log, octokit: createLogClients(log).forApp() };
}

describe("redeliverFailed", () => {
  it("reads every page of the log: 130 attempts take two requests of 100", async () => {
    const { github, octokit, deliver, now } = setup();
    // Ids 1..130, the newest the highest id; the failure is the oldest, on page two.
    for (let id = 1; id <= 130; id++) deliver(id, `guid-${id}`, (131 - id) * 1000, 200);
    github.hookDeliveries[0]!.statusCode = 500;
    const choice = await redeliverFailed({ octokit, sinceMs: now - HOUR, dryRun: true });
    expect(choice.redeliver.map(({ attempt }) => attempt.id)).toEqual([1]);
    const pages = github.callsTo("GET", LIST);
    expect(pages).toHaveLength(2);
    expect(pages.map((call) => new URL(call.path, API).searchParams.get("per_page"))).toEqual([
      "100",
      "100",
    ]);
    expect(new URL(pages[1]!.path, API).searchParams.get("page")).toBe("2");
    expect(pages.every((call) => call.auth.kind === "jwt")).toBe(true);
  });

  it("stops reading at the first attempt older than sinceMs, never asking for later pages", async () => {
    const { github, octokit, deliver, now } = setup();
    // 120 recent attempts (all failed), then 130 older than the window (also failed).
    for (let n = 0; n < 120; n++) deliver(1000 - n, `recent-${n}`, n * 1000, 500);
    for (let n = 0; n < 130; n++) deliver(500 - n, `old-${n}`, 2 * HOUR + n * 1000, 500);
    const choice = await redeliverFailed({ octokit, sinceMs: now - HOUR, dryRun: true });
    expect(choice.redeliver).toHaveLength(120);
    expect(choice.redeliver.every(({ attempt }) => attempt.guid.startsWith("recent-"))).toBe(true);
    // Page 2 holds the cutoff: page 3 (attempts 201-250) is never requested.
    const pages = github.callsTo("GET", LIST);
    expect(pages).toHaveLength(2);
    expect(pages.some((call) => call.path.includes("page=3"))).toBe(false);
  });

  it("makes a single request when the cutoff falls on the first page", async () => {
    const { github, octokit, deliver, now } = setup();
    deliver(300, "recent", MINUTE, 500);
    for (let n = 0; n < 150; n++) deliver(200 - n, `old-${n}`, 3 * HOUR + n * 1000, 500);
    const choice = await redeliverFailed({ octokit, sinceMs: now - HOUR });
    expect(choice.redeliver.map(({ attempt }) => attempt.guid)).toEqual(["recent"]);
    expect(github.callsTo("GET", LIST)).toHaveLength(1);
    expect(github.redeliveryRequests).toEqual([300]);
  });

  it("counts only the failures inside the window toward giving up", async () => {
    const { octokit, deliver, now } = setup();
    for (let n = 0; n < 6; n++) deliver(10 + n, "flaky", 2 * HOUR + n * MINUTE, 500);
    deliver(20, "flaky", MINUTE, 500);
    const choice = await redeliverFailed({ octokit, sinceMs: now - HOUR, dryRun: true });
    expect(choice.gaveUp).toEqual([]);
    expect(choice.redeliver).toEqual([
      { attempt: expect.objectContaining({ id: 20, guid: "flaky" }), failures: 1 },
    ]);
  });

  it("sends no redelivery request on a dry run, yet returns what it would redeliver", async () => {
    const { github, octokit, deliver, now } = setup();
    deliver(1, "a", 5 * MINUTE, 500);
    deliver(2, "b", 4 * MINUTE, 0);
    const before = github.hookDeliveries.length;
    const choice = await redeliverFailed({ octokit, sinceMs: now - HOUR, dryRun: true });
    expect(choice.redeliver.map(({ attempt }) => attempt.id).sort()).toEqual([1, 2]);
    expect(github.callsTo("POST", REDELIVER)).toEqual([]);
    expect(github.redeliveryRequests).toEqual([]);
    expect(github.hookDeliveries).toHaveLength(before);
  });

  it("asks, with the app's JWT, to redeliver the latest failed attempt of each chosen guid", async () => {
    const { github, octokit, deliver, now } = setup();
    // "twice": failed twice, the latest is 3. "never-answered": status 0.
    deliver(1, "twice", 30 * MINUTE, 502);
    deliver(3, "twice", 20 * MINUTE, 500);
    deliver(2, "never-answered", 25 * MINUTE, 0, { event: "push", action: undefined });
    // Failed, then succeeded (a redelivery went through): skipped.
    deliver(4, "recovered", 15 * MINUTE, 500);
    deliver(5, "recovered", 10 * MINUTE, 200, { redelivery: true });
    // Succeeded, then failed: redelivered.
    deliver(6, "relapsed", 9 * MINUTE, 200);
    deliver(7, "relapsed", 8 * MINUTE, 503);
    // Fine all along.
    deliver(8, "fine", 7 * MINUTE, 202);
    const choice = await redeliverFailed({ octokit, sinceMs: now - HOUR });
    expect(github.redeliveryRequests.slice().sort((a, b) => a - b)).toEqual([2, 3, 7]);
    const posts = github.callsTo("POST", REDELIVER);
    expect(posts.map((call) => call.path).sort()).toEqual([
      "/app/hook/deliveries/2/attempts",
      "/app/hook/deliveries/3/attempts",
      "/app/hook/deliveries/7/attempts",
    ]);
    expect(posts.every((call) => call.auth.kind === "jwt" && call.status === 202)).toBe(true);
    expect(choice.gaveUp).toEqual([]);
    const failures = Object.fromEntries(
      choice.redeliver.map(({ attempt, failures }) => [attempt.guid, failures]),
    );
    expect(failures).toEqual({ twice: 2, "never-answered": 1, relapsed: 1 });
  });

  it("gives up on a guid that failed maxFailures times (5 by default), sending nothing for it", async () => {
    const { github, octokit, deliver, now } = setup();
    for (let n = 0; n < 5; n++) deliver(10 + n, "hopeless", (50 - n) * MINUTE, 500);
    for (let n = 0; n < 4; n++) deliver(20 + n, "stubborn", (40 - n) * MINUTE, 500);
    const choice = await redeliverFailed({ octokit, sinceMs: now - HOUR });
    expect(choice.gaveUp).toEqual([
      { attempt: expect.objectContaining({ id: 14, guid: "hopeless" }), failures: 5 },
    ]);
    expect(choice.redeliver).toEqual([
      { attempt: expect.objectContaining({ id: 23, guid: "stubborn" }), failures: 4 },
    ]);
    expect(github.redeliveryRequests).toEqual([23]);
  });

  it("takes maxFailures from its options", async () => {
    const { github, octokit, deliver, now } = setup();
    deliver(1, "a", 3 * MINUTE, 500);
    deliver(2, "a", 2 * MINUTE, 500);
    deliver(3, "b", MINUTE, 500);
    const choice = await redeliverFailed({ octokit, sinceMs: now - HOUR, maxFailures: 2 });
    expect(choice.gaveUp.map(({ attempt }) => attempt.id)).toEqual([2]);
    expect(github.redeliveryRequests).toEqual([3]);
  });

  it("returns the attempt as GitHub described it: time, status, event and action", async () => {
    const { octokit, deliver, now } = setup();
    deliver(9, "a", MINUTE, 0, { event: "push", action: undefined });
    const choice = await redeliverFailed({ octokit, sinceMs: now - HOUR, dryRun: true });
    expect(choice.redeliver[0]?.attempt).toEqual({
      id: 9,
      guid: "a",
      deliveredAt: new Date(now - MINUTE).toISOString(),
      statusCode: 0,
      event: "push",
      action: null,
    });
  });

  it("sends nothing when the log holds nothing to redeliver", async () => {
    const { github, octokit, deliver, now } = setup();
    deliver(1, "a", MINUTE, 200);
    const choice = await redeliverFailed({ octokit, sinceMs: now - HOUR });
    expect(choice).toEqual({ redeliver: [], gaveUp: [] });
    expect(github.callsTo("POST", REDELIVER)).toEqual([]);
    expect(github.callsTo("GET", LIST)).toHaveLength(1);
  });

  it("rejects when GitHub refuses the list", async () => {
    const { github, octokit, deliver, now } = setup();
    deliver(1, "a", MINUTE, 500);
    github.failNext({ path: LIST }, { status: 404 });
    await expect(redeliverFailed({ octokit, sinceMs: now - HOUR })).rejects.toMatchObject({
      status: 404,
    });
    expect(github.redeliveryRequests).toEqual([]);
  });

  it("also redelivers what failed after a 202, from the failures it is given", async () => {
    const { github, octokit, deliver, now } = setup();
    deliver(1, "acked", 10 * MINUTE, 202);
    deliver(2, "fine", 9 * MINUTE, 202);
    const ackedFailures = createMemoryAckedFailures();
    await ackedFailures.add("acked", now - 9 * MINUTE);
    const choice = await redeliverFailed({ octokit, sinceMs: now - HOUR, ackedFailures });
    expect(choice.redeliver.map(({ attempt }) => attempt.guid)).toEqual(["acked"]);
    expect(github.redeliveryRequests).toEqual([1]);
  });

  it("counts what a repeating caller already asked for towards the cap", async () => {
    const { github, octokit, deliver, now } = setup();
    deliver(1, "failing", 10 * MINUTE, 500);
    const choice = await redeliverFailed({
      octokit,
      sinceMs: now - HOUR,
      alreadyAsked: (guid) => (guid === "failing" ? 4 : 0),
    });
    expect(choice.redeliver).toEqual([]);
    expect(choice.gaveUp.map(({ attempt, failures }) => [attempt.guid, failures])).toEqual([
      ["failing", 5],
    ]);
    expect(github.redeliveryRequests).toEqual([]);
  });
});
