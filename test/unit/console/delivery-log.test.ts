import { describe, expect, it } from "@jest/globals";
import { createDeliveryLog } from "../../../src/console/delivery-log.js";
import {
  createDeliveryEvents,
  type DeliveryEvent,
  type DeliverySummary,
  type ObservedCall,
} from "../../../src/events/delivery-events.js";
import { createScrubber } from "../../../src/logging/create-logger.js";
import { createManualClock } from "../../helpers/manual-clock.js";

const DELIVERY: DeliverySummary = {
  id: "d1",
  name: "issues",
  event: "issues.opened",
  installation: 7,
  repo: "o/r",
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

const started = (delivery: DeliverySummary = DELIVERY): DeliveryEvent => ({
  type: "started",
  delivery,
  attempt: 1,
});
const plugin = (id: string, name: string): DeliveryEvent => ({
  type: "plugin",
  id,
  plugin: name,
  outcome: "started",
});
const apiCall = (id: string, call: Omit<ObservedCall, "seconds">): DeliveryEvent => ({
  type: "api-call",
  id,
  call: { ...call, seconds: 0.01, rateLimitRemaining: 4999 },
});
const finished = (
  delivery: DeliverySummary,
  fields: {
    outcome?: "completed" | "failed" | "handed-back";
    seconds?: number;
    error?: string;
  } = {},
): DeliveryEvent => ({
  type: "finished",
  delivery,
  outcome: fields.outcome ?? (fields.error === undefined ? "completed" : "failed"),
  seconds: fields.seconds ?? 0,
  ...(fields.error !== undefined && { error: fields.error }),
});
const answered = (
  status: number,
  answer: unknown,
  delivery: DeliverySummary | null = DELIVERY,
): DeliveryEvent => ({
  type: "answered",
  request: { ...REQUEST, status, answer, ...(delivery && { delivery }) },
});

describe("createDeliveryLog", () => {
  it("records a delivery's run: event, installation, repository, plugins, calls, duration, answer", () => {
    const clock = createManualClock(Date.UTC(2025, 0, 1));
    const log = createDeliveryLog({ clock });
    log.handle(started());
    log.handle(plugin("d1", "greeter"));
    log.handle({ type: "plugin", id: "d1", plugin: "greeter", outcome: "completed" });
    log.handle(
      apiCall("d1", { method: "POST", path: "/repos/o/r/issues/1/comments", status: 201 }),
    );
    log.handle(finished(DELIVERY, { seconds: 0.042 }));
    log.handle(answered(200, { status: "completed" }));
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
        pluginRuns: [{ plugin: "greeter", outcome: "completed", error: null }],
        error: null,
        calls: [
          {
            method: "POST",
            path: "/repos/o/r/issues/1/comments",
            status: 201,
            expected: false,
          },
        ],
        replay: null,
        attempt: 1,
        worker: false,
        replayable: true,
      },
    ]);
  });

  it("takes the events from a stream once attached, and none after the unsubscribe", () => {
    const events = createDeliveryEvents();
    const log = createDeliveryLog();
    const detach = log.attach(events);
    events.emit(started());
    events.emit(plugin("d1", "greeter"));
    events.emit(apiCall("d1", { method: "GET", path: "/x", status: 200 }));
    events.emit(finished(DELIVERY));
    events.emit(answered(200, { status: "completed" }));
    expect(log.list()).toEqual([
      expect.objectContaining({
        id: "d1",
        status: 200,
        outcome: "completed",
        plugins: ["greeter"],
        calls: [{ method: "GET", path: "/x", status: 200, expected: false }],
      }),
    ]);
    detach();
    events.emit(started({ ...DELIVERY, id: "d2" }));
    expect(log.list()).toHaveLength(1);
    expect(events.wants("started")).toBe(false);
  });

  it("keeps the request's signed bytes and GitHub headers (not others) for a replay", () => {
    const log = createDeliveryLog();
    log.handle(started());
    log.handle(answered(200, {}));
    const replay = log.replayRequest(1)!;
    expect(replay.body.equals(REQUEST.body)).toBe(true);
    expect(replay.headers).toEqual({
      "content-type": "application/json",
      "x-github-event": "issues",
      "x-github-delivery": "d1",
      "x-hub-signature-256": "sha256=ab",
      "user-agent": "GitHub-Hookshot/x",
    });
    expect(log.replayRequest(99)).toBeUndefined();
  });

  it("records a refused request with its error code and no replay, and a duplicate as its own row", () => {
    const log = createDeliveryLog();
    log.handle(
      answered(
        401,
        { error: { code: "SIGNATURE_MISMATCH", message: "signature does not match" } },
        null,
      ),
    );
    log.handle(answered(200, { status: "duplicate" }));
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

  it("shows a failure's message with credentials masked", () => {
    const log = createDeliveryLog({ scrub: createScrubber(["hook-secret"]) });
    log.handle(started());
    const token = "ghs_" + "a".repeat(36);
    log.handle(finished(DELIVERY, { error: `bad ${token}; hook-secret leaked` }));
    expect(log.list()[0]).toMatchObject({
      outcome: "failed",
      error: "bad [REDACTED]; [REDACTED] leaked",
    });
  });

  it("shows a delivery handed back at shutdown as failed, saying so", () => {
    const log = createDeliveryLog();
    log.handle(started());
    log.handle(finished(DELIVERY, { outcome: "handed-back", seconds: 8 }));
    expect(log.list()[0]).toMatchObject({
      outcome: "failed",
      error: "handed back at shutdown",
      durationMs: 8000,
    });
  });

  it("keeps only the newest entries, newest first, and tells subscribers what changed", () => {
    const log = createDeliveryLog({ max: 2 });
    const seen: number[] = [];
    const unsubscribe = log.subscribe((seq) => seen.push(seq));
    for (const id of ["a", "b", "c"]) log.handle(started({ ...DELIVERY, id }));
    log.handle(apiCall("c", { method: "GET", path: "/x", status: 200 }));
    unsubscribe();
    log.handle(finished({ ...DELIVERY, id: "c" }));
    expect(log.list().map((entry) => entry.id)).toEqual(["c", "b"]);
    expect(seen).toEqual([1, 2, 3, 3]);
  });

  it("gives the latest attempt of a redelivered id its calls, and copies entries out", () => {
    const log = createDeliveryLog();
    log.handle(started());
    log.handle(finished(DELIVERY, { error: "first failed" }));
    log.handle(started());
    log.handle(apiCall("d1", { method: "GET", path: "/y", status: 200 }));
    const [second, first] = log.list();
    expect(second!.calls).toHaveLength(1);
    expect(first!.calls).toHaveLength(0);
    second!.calls.push({ method: "X", path: "/", status: 0, expected: false });
    expect(log.list()[0]!.calls).toHaveLength(1);
  });

  it("shows a queued delivery whose attempts ran out as failed, in the failed set, scrubbed", () => {
    const log = createDeliveryLog({ scrub: createScrubber(["s3cret-value-123"]) });
    log.handle(started());
    log.handle(finished(DELIVERY, { error: "GitHub answered 502" }));
    log.handle({
      type: "dead",
      delivery: DELIVERY,
      attempts: 5,
      error: "GitHub answered 502 for s3cret-value-123",
    });
    const [entry] = log.list();
    expect(entry!.outcome).toBe("failed");
    expect(entry!.error).toMatch(
      /^failed on all 5 attempts, now in the failed set: GitHub answered 502/,
    );
    expect(entry!.error).not.toContain("s3cret-value-123");
  });

  it("fills a queued delivery's row when a worker elsewhere starts it; a retry gets its own row", () => {
    const log = createDeliveryLog();
    log.handle(answered(202, { status: "queued" }));
    expect(log.list().map((entry) => [entry.outcome, entry.status, entry.attempt])).toEqual([
      ["queued", 202, null],
    ]);
    log.handle({ ...started(), relayed: true });
    log.handle({ ...finished(DELIVERY, { error: "GitHub answered 502" }), relayed: true });
    log.handle({ type: "started", delivery: DELIVERY, attempt: 2, relayed: true });
    log.handle({ ...finished(DELIVERY), relayed: true });
    expect(
      log
        .list()
        .map((entry) => [entry.seq, entry.outcome, entry.status, entry.attempt, entry.worker]),
    ).toEqual([
      [2, "completed", null, 2, true],
      [1, "failed", 202, 1, true],
    ]);
    // Run in this process (WORKERS in `run`), it is not marked as a worker elsewhere's.
    const here = createDeliveryLog();
    here.handle(answered(202, { status: "queued" }));
    here.handle(started());
    expect(here.list()[0]).toMatchObject({ outcome: "running", attempt: 1, worker: false });
  });

  it("shows a verified delivery answered 503 as refused, with its code, and keeps it for replay", () => {
    const log = createDeliveryLog();
    log.handle(
      answered(503, {
        error: { code: "DELIVERY_IN_PROGRESS", message: "another process holds it" },
      }),
    );
    const [entry] = log.list();
    expect(entry).toMatchObject({
      outcome: "refused",
      status: 503,
      error: "DELIVERY_IN_PROGRESS: another process holds it",
      replayable: true,
    });
  });

  it("names the plugin that failed, with its error scrubbed, and not the one that completed", () => {
    const log = createDeliveryLog({ scrub: createScrubber(["s3cret-value-123"]) });
    log.handle(started());
    log.handle(plugin("d1", "greeter"));
    log.handle(plugin("d1", "labeler"));
    log.handle({ type: "plugin", id: "d1", plugin: "greeter", outcome: "completed" });
    log.handle({
      type: "plugin",
      id: "d1",
      plugin: "labeler",
      outcome: "failed",
      error: "bad label s3cret-value-123",
    });
    log.handle(finished(DELIVERY, { error: "1 handler failed" }));
    expect(log.list()[0]!.pluginRuns).toEqual([
      { plugin: "greeter", outcome: "completed", error: null },
      { plugin: "labeler", outcome: "failed", error: "bad label [REDACTED]" },
    ]);
  });

  it("keeps each call's plugin and scrubbed bodies, and marks a missing .github/ config as expected", () => {
    const log = createDeliveryLog({ scrub: createScrubber(["s3cret-value-123"]) });
    log.handle(started());
    const config = "/repos/o/r/contents/.github%2Flabeler.yml";
    log.handle(apiCall("d1", { method: "GET", path: config, status: 404, plugin: "labeler" }));
    log.handle(apiCall("d1", { method: "GET", path: "/repos/o/r/issues/9", status: 404 }));
    log.handle(
      apiCall("d1", {
        method: "POST",
        path: "/repos/o/r/issues/1/comments",
        status: 201,
        plugin: "greeter",
        requestBody: '{"body":"s3cret-value-123"}',
        responseBody: '{"id":1}',
      }),
    );
    const [calls] = log.list().map((entry) => entry.calls);
    expect(calls).toEqual([
      { method: "GET", path: config, status: 404, plugin: "labeler", expected: true },
      { method: "GET", path: "/repos/o/r/issues/9", status: 404, expected: false },
      {
        method: "POST",
        path: "/repos/o/r/issues/1/comments",
        status: 201,
        plugin: "greeter",
        requestBody: '{"body":"[REDACTED]"}',
        responseBody: '{"id":1}',
        expected: false,
      },
    ]);
  });

  it("marks a row the console sent again, from its replay header", () => {
    const log = createDeliveryLog();
    log.handle(started());
    log.handle(finished(DELIVERY));
    log.handle(answered(200, {}));
    log.handle({
      type: "answered",
      request: {
        ...REQUEST,
        headers: { ...REQUEST.headers, "x-hookwright-replay": "redelivery:1" },
        status: 200,
        answer: { status: "duplicate" },
        delivery: DELIVERY,
      },
    });
    const [again, first] = log.list();
    expect(again).toMatchObject({ outcome: "duplicate", replay: { kind: "redelivery", of: 1 } });
    expect(first!.replay).toBeNull();
  });
});
