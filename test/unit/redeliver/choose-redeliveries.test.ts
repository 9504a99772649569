import { describe, expect, it } from "@jest/globals";
import {
  chooseRedeliveries,
  type DeliveryAttempt,
} from "../../../src/redeliver/choose-redeliveries.js";

const BASE = Date.UTC(2026, 5, 1, 12);

/** An attempt `minute` minutes after BASE. */
function attempt(
  id: number,
  guid: string,
  minute: number,
  statusCode: number,
  extra: Partial<DeliveryAttempt> = {},
): DeliveryAttempt {
  return {
    id,
    guid,
    deliveredAt: new Date(BASE + minute * 60_000).toISOString(),
    statusCode,
    event: "issues",
    action: "opened",
    ...extra,
  };
}

const ids = (entries: { attempt: DeliveryAttempt }[]) => entries.map((entry) => entry.attempt.id);
const guids = (entries: { attempt: DeliveryAttempt }[]) =>
  entries.map((entry) => entry.attempt.guid).sort();

describe("chooseRedeliveries", () => {
  it("chooses nothing from an empty log or a log of successes", () => {
    expect(chooseRedeliveries([], 5)).toEqual({ redeliver: [], gaveUp: [] });
    const ok = [attempt(1, "a", 0, 200), attempt(2, "b", 1, 202), attempt(3, "c", 2, 204)];
    expect(chooseRedeliveries(ok, 5)).toEqual({ redeliver: [], gaveUp: [] });
  });

  it("redelivers a guid whose only attempt failed, with its attempt and one failure", () => {
    const failed = attempt(7, "a", 0, 500, { event: "push", action: null });
    expect(chooseRedeliveries([failed], 5)).toEqual({
      redeliver: [{ attempt: failed, failures: 1 }],
      gaveUp: [],
    });
  });

  it("skips a guid that failed and later succeeded", () => {
    const choice = chooseRedeliveries([attempt(1, "a", 0, 500), attempt(2, "a", 5, 200)], 5);
    expect(choice).toEqual({ redeliver: [], gaveUp: [] });
  });

  it("skips a guid whose latest attempt succeeded after several failures", () => {
    const log = [
      attempt(1, "a", 0, 500),
      attempt(2, "a", 1, 502),
      attempt(3, "a", 2, 0),
      attempt(4, "a", 3, 201),
    ];
    expect(chooseRedeliveries(log, 5)).toEqual({ redeliver: [], gaveUp: [] });
  });

  it("redelivers a guid that succeeded once and then failed", () => {
    const choice = chooseRedeliveries([attempt(1, "a", 0, 200), attempt(2, "a", 5, 500)], 5);
    expect(ids(choice.redeliver)).toEqual([2]);
    expect(choice.redeliver[0]?.failures).toBe(1);
  });

  it("redelivers the latest failed attempt, counting every failure of the guid", () => {
    const log = [
      attempt(1, "a", 0, 500),
      attempt(2, "a", 1, 200),
      attempt(3, "a", 2, 503),
      attempt(4, "a", 3, 504),
    ];
    const choice = chooseRedeliveries(log, 5);
    expect(choice.redeliver).toEqual([{ attempt: log[3], failures: 3 }]);
  });

  it("orders attempts by time, not by their place in the list (GitHub lists newest first)", () => {
    const newestFirst = [attempt(3, "a", 2, 500), attempt(2, "a", 1, 200), attempt(1, "a", 0, 500)];
    expect(ids(chooseRedeliveries(newestFirst, 5).redeliver)).toEqual([3]);
    const successNewest = [attempt(9, "b", 2, 200), attempt(8, "b", 1, 500)];
    expect(chooseRedeliveries(successNewest, 5).redeliver).toEqual([]);
  });

  it("orders by time even when ids disagree with it", () => {
    // An older attempt with a higher id: time decides which attempt came last.
    const log = [attempt(50, "a", 0, 200), attempt(10, "a", 5, 500)];
    expect(ids(chooseRedeliveries(log, 5).redeliver)).toEqual([10]);
    const reversed = [attempt(50, "b", 0, 500), attempt(10, "b", 5, 200)];
    expect(chooseRedeliveries(reversed, 5).redeliver).toEqual([]);
  });

  it("breaks a tie in time by id", () => {
    const failedLast = [attempt(2, "a", 0, 500), attempt(1, "a", 0, 200)];
    expect(ids(chooseRedeliveries(failedLast, 5).redeliver)).toEqual([2]);
    const succeededLast = [attempt(1, "b", 0, 500), attempt(2, "b", 0, 200)];
    expect(chooseRedeliveries(succeededLast, 5).redeliver).toEqual([]);
  });

  it("counts status 0 (no answer), 1xx, 3xx, 4xx and 5xx as failures and only 2xx as success", () => {
    const log = [
      attempt(1, "none", 0, 0),
      attempt(2, "redirect", 0, 301),
      attempt(3, "client", 0, 404),
      attempt(4, "server", 0, 500),
      attempt(5, "info", 0, 100),
      attempt(6, "ok-200", 0, 200),
      attempt(7, "ok-299", 0, 299),
      attempt(8, "edge-300", 0, 300),
    ];
    expect(guids(chooseRedeliveries(log, 5).redeliver)).toEqual(
      ["client", "edge-300", "info", "none", "redirect", "server"].sort(),
    );
  });

  it("redelivers a guid that was never answered (status 0) even after an older success", () => {
    const log = [attempt(1, "a", 0, 200), attempt(2, "a", 1, 0)];
    expect(chooseRedeliveries(log, 5).redeliver).toEqual([{ attempt: log[1], failures: 1 }]);
  });

  it("gives up on a guid with maxFailures failed attempts, and not one fewer", () => {
    const atLimit = [
      attempt(1, "limit", 0, 500),
      attempt(2, "limit", 1, 500),
      attempt(3, "limit", 2, 500),
    ];
    const below = [attempt(4, "below", 0, 500), attempt(5, "below", 1, 500)];
    const choice = chooseRedeliveries([...atLimit, ...below], 3);
    expect(choice.gaveUp).toEqual([{ attempt: atLimit[2], failures: 3 }]);
    expect(choice.redeliver).toEqual([{ attempt: below[1], failures: 2 }]);
  });

  it("gives up above maxFailures too, counting failures before an intervening success", () => {
    const log = [
      attempt(1, "a", 0, 500),
      attempt(2, "a", 1, 200),
      attempt(3, "a", 2, 500),
      attempt(4, "a", 3, 500),
    ];
    const choice = chooseRedeliveries(log, 2);
    expect(choice.redeliver).toEqual([]);
    expect(choice.gaveUp).toEqual([{ attempt: log[3], failures: 3 }]);
  });

  it("does not give up on a guid that hit maxFailures but then succeeded", () => {
    const log = [attempt(1, "a", 0, 500), attempt(2, "a", 1, 500), attempt(3, "a", 2, 200)];
    expect(chooseRedeliveries(log, 2)).toEqual({ redeliver: [], gaveUp: [] });
  });

  it("decides each guid on its own attempts, one entry per guid", () => {
    const log = [
      attempt(6, "c", 5, 500),
      attempt(5, "b", 4, 200),
      attempt(4, "a", 3, 502),
      attempt(3, "c", 2, 500),
      attempt(2, "b", 1, 500),
      attempt(1, "a", 0, 200),
    ];
    const choice = chooseRedeliveries(log, 5);
    expect(guids(choice.redeliver)).toEqual(["a", "c"]);
    expect(ids(choice.redeliver).sort()).toEqual([4, 6]);
    expect(choice.redeliver.find((entry) => entry.attempt.guid === "c")?.failures).toBe(2);
    expect(choice.gaveUp).toEqual([]);
  });

  it("redelivers a delivery that failed after its 202, by its latest attempt, until a newer attempt exists", () => {
    const log = [attempt(1, "acked", 0, 202), attempt(2, "fine", 1, 202)];
    const failedAt = new Map([["acked", BASE + 5 * 60_000]]);
    const choice = chooseRedeliveries(log, 5, failedAt);
    expect(ids(choice.redeliver)).toEqual([1]);
    expect(choice.redeliver[0]?.failures).toBe(1);
    // A redelivery after the failure is the newest attempt now: nothing more to ask for.
    const later = [...log, attempt(3, "acked", 10, 202)];
    expect(chooseRedeliveries(later, 5, failedAt).redeliver).toEqual([]);
  });

  it("gives up on a delivery whose every 202 was followed by a failure, at maxFailures attempts", () => {
    const log = [0, 10, 20].map((minute, index) => attempt(index + 1, "acked", minute, 202));
    const failedAt = new Map([["acked", BASE + 25 * 60_000]]);
    const choice = chooseRedeliveries(log, 3, failedAt);
    expect(choice.redeliver).toEqual([]);
    expect(ids(choice.gaveUp)).toEqual([3]);
  });
});
