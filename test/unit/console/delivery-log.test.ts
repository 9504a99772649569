import { describe, expect, it } from "@jest/globals";
import { createDeliveryLog } from "../../../src/console/delivery-log.js";
import { createScrubber } from "../../../src/logging/create-logger.js";
import type { Delivery } from "../../../src/webhooks/parse-delivery.js";
import { createManualClock } from "../../helpers/manual-clock.js";

const DELIVERY: Delivery = {
  id: "d1",
  name: "issues",
  payload: { action: "opened", installation: { id: 7 }, repository: { full_name: "o/r" } },
};
const REQUEST = {
  headers: {
    "content-type": "application/json",
    "x-github-event": "issues",
    "x-github-delivery": "d1",
    "x-hub-signature-256": "sha256=ab",
    "user-agent": "GitHub-Hookshot/x",
    cookie: "never-kept",
  },
  body: Buffer.from('{"action":"opened"}'),
};

describe("createDeliveryLog", () => {
  it("records a delivery's run: event, installation, repository, plugins, calls, duration, answer", () => {
    const clock = createManualClock(Date.UTC(2025, 0, 1));
    const log = createDeliveryLog({ clock });
    log.started(DELIVERY);
    log.pluginRan("d1", "greeter");
    log.pluginRan("d1", "greeter");
    log.apiCall("d1", { method: "POST", path: "/repos/o/r/issues/1/comments", status: 201 });
    clock.advance(42);
    log.finished("d1");
    log.answered(REQUEST, { status: 200, body: { status: "completed" }, delivery: DELIVERY });
    expect(log.list()).toEqual([
      {
        seq: 1,
        id: "d1",
        receivedAt: "2025-01-01T00:00:00.000Z",
        event: "issues.opened",
        installation: 7,
        repository: "o/r",
        status: 200,
        outcome: "completed",
        durationMs: 42,
        plugins: ["greeter"],
        error: null,
        calls: [{ method: "POST", path: "/repos/o/r/issues/1/comments", status: 201 }],
        replayable: true,
      },
    ]);
  });

  it("keeps the request's signed bytes and GitHub headers (not others) for a replay", () => {
    const log = createDeliveryLog();
    log.started(DELIVERY);
    log.answered(REQUEST, { status: 200, body: {}, delivery: DELIVERY });
    const replay = log.replayRequest(1)!;
    expect(replay.body.equals(REQUEST.body)).toBe(true);
    expect(replay.headers).toEqual({
      "content-type": "application/json",
      "x-github-event": "issues",
      "x-hub-signature-256": "sha256=ab",
      "user-agent": "GitHub-Hookshot/x",
    });
    expect(log.replayRequest(99)).toBeUndefined();
  });

  it("records a refused request with its error code and no replay, and a duplicate as its own row", () => {
    const log = createDeliveryLog();
    log.answered(REQUEST, {
      status: 401,
      body: { error: { code: "SIGNATURE_MISMATCH", message: "signature does not match" } },
    });
    log.answered(REQUEST, { status: 200, body: { status: "duplicate" }, delivery: DELIVERY });
    const [duplicate, refused] = log.list();
    expect(refused).toMatchObject({
      event: "issues",
      status: 401,
      outcome: "refused",
      error: "SIGNATURE_MISMATCH: signature does not match",
      replayable: false,
    });
    expect(duplicate).toMatchObject({
      seq: 2,
      event: "issues.opened",
      outcome: "duplicate",
      status: 200,
    });
  });

  it("shows a failure's messages with credentials masked", () => {
    const log = createDeliveryLog({ scrub: createScrubber(["hook-secret"]) });
    log.started(DELIVERY);
    const token = "ghs_" + "a".repeat(36);
    log.finished(
      "d1",
      new AggregateError([new Error(`bad ${token}`), new Error("hook-secret leaked")]),
    );
    expect(log.list()[0]).toMatchObject({
      outcome: "failed",
      error: "bad [REDACTED]; [REDACTED] leaked",
    });
  });

  it("keeps only the newest entries, newest first, and tells subscribers what changed", () => {
    const log = createDeliveryLog({ max: 2 });
    const seen: number[] = [];
    const unsubscribe = log.subscribe((seq) => seen.push(seq));
    for (const id of ["a", "b", "c"]) log.started({ ...DELIVERY, id });
    log.apiCall("c", { method: "GET", path: "/x", status: 200 });
    unsubscribe();
    log.finished("c");
    expect(log.list().map((entry) => entry.id)).toEqual(["c", "b"]);
    expect(seen).toEqual([1, 2, 3, 3]);
  });

  it("gives the latest attempt of a redelivered id its calls, and copies entries out", () => {
    const log = createDeliveryLog();
    log.started(DELIVERY);
    log.finished("d1", new Error("first failed"));
    log.started(DELIVERY);
    log.apiCall("d1", { method: "GET", path: "/y", status: 200 });
    const [second, first] = log.list();
    expect(second!.calls).toHaveLength(1);
    expect(first!.calls).toHaveLength(0);
    second!.calls.push({ method: "X", path: "/", status: 0 });
    expect(log.list()[0]!.calls).toHaveLength(1);
  });
});
