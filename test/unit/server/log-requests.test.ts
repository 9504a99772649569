import { describe, expect, it } from "@jest/globals";
import express from "express";
import request from "supertest";
import {
  logRequests,
  noteVerifiedDelivery,
  REFUSED_LINES_PER_SECOND,
} from "../../../src/server/log-requests.js";
import { captureLogs } from "../../helpers/capture-logs.js";
import { createManualClock } from "../../helpers/manual-clock.js";

function setup() {
  const logs = captureLogs();
  const clock = createManualClock();
  const app = express();
  app.use(logRequests(logs.logger, { clock }));
  app.post("/hook", (_req, res) => {
    res.locals.deliveryId = "d-9";
    // The verified delivery, as the webhook route hands it over: its fields are read when logged.
    noteVerifiedDelivery(res, {
      id: "d-9",
      name: "issues",
      payload: { action: "opened", installation: { id: 7 }, repository: { full_name: "o/r" } },
    });
    res.status(202).json({});
  });
  app.get("/health", (_req, res) => void res.json({ status: "ok" }));
  // A plugin's route using a name of its own in res.locals.
  app.get("/mine", (_req, res) => {
    res.locals.delivery = { id: 5, status: "ok" };
    res.json({});
  });
  app.get("/teapot", (_req, res) => void res.status(418).end());
  app.get("/broken", (_req, res) => void res.status(500).end());
  app.use((_req, res) => void res.status(404).end());
  return { app, logs, clock };
}

const requestLines = (logs: ReturnType<typeof captureLogs>) =>
  logs.records().filter((record) => record.msg === "request");

describe("logRequests", () => {
  it("logs one line per request with method, path, status code, time and the delivery's fields", async () => {
    const { app, logs } = setup();
    await request(app).post("/hook?x=1").send("{}");
    const lines = requestLines(logs);
    expect(lines).toHaveLength(1);
    expect(lines[0]).toMatchObject({
      level: 30,
      method: "POST",
      path: "/hook",
      statusCode: 202,
      deliveryId: "d-9",
      event: "issues.opened",
      action: "opened",
      installationId: 7,
      repo: "o/r",
      durationMs: expect.any(Number),
    });
  });

  it("leaves a route's own res.locals.delivery alone", async () => {
    const { app, logs } = setup();
    await request(app).get("/mine").expect(200);
    await request(app).post("/hook").send("{}").expect(202);
    const [mine, hook] = requestLines(logs);
    expect(mine).toMatchObject({ path: "/mine", statusCode: 200 });
    expect(mine).not.toHaveProperty("event");
    expect(mine).not.toHaveProperty("status");
    expect(hook).toMatchObject({ path: "/hook", event: "issues.opened" });
  });

  it("logs client errors as warnings and server errors as errors", async () => {
    const { app, logs } = setup();
    await request(app).get("/teapot");
    await request(app).get("/broken");
    expect(requestLines(logs).map((line) => [line.statusCode, line.level])).toEqual([
      [418, 40],
      [500, 50],
    ]);
  });

  it("logs health checks at debug, so probes do not flood the log", async () => {
    const { app, logs } = setup();
    await request(app).get("/health");
    expect(requestLines(logs)).toMatchObject([{ level: 20, path: "/health", statusCode: 200 }]);
  });

  it("writes only the lines its level lets through", async () => {
    const { app, logs } = setup();
    logs.logger.level = "warn";
    await request(app).post("/hook").send("{}");
    await request(app).get("/teapot");
    expect(requestLines(logs).map((line) => [line.statusCode, line.level])).toEqual([[418, 40]]);
  });

  it("cuts a long path short in the line", async () => {
    const { app, logs } = setup();
    await request(app).get(`/${"p".repeat(10_000)}`);
    const [line] = requestLines(logs);
    expect(line).toMatchObject({ statusCode: 404 });
    expect(String(line!.path).length).toBeLessThanOrEqual(202);
  });

  it("writes at most a few refused requests a second, then one line counting the rest", async () => {
    const { app, logs, clock } = setup();
    for (let i = 0; i < REFUSED_LINES_PER_SECOND + 30; i++) await request(app).get("/teapot");
    expect(requestLines(logs)).toHaveLength(REFUSED_LINES_PER_SECOND);
    clock.advance(1000);
    await request(app).get("/teapot");
    await request(app).post("/hook").send("{}");
    const records = logs.records();
    expect(records.filter((record) => record.msg !== "request")).toEqual([
      expect.objectContaining({
        level: 40,
        skipped: 30,
        msg: "refused requests not logged (rate limit)",
      }),
    ]);
    // The next second's refusal and every accepted request are written.
    expect(requestLines(logs)).toHaveLength(REFUSED_LINES_PER_SECOND + 2);
  });

  it("does not rate-limit server errors", async () => {
    const { app, logs } = setup();
    for (let i = 0; i < REFUSED_LINES_PER_SECOND + 5; i++) await request(app).get("/broken");
    expect(requestLines(logs)).toHaveLength(REFUSED_LINES_PER_SECOND + 5);
  });
});
