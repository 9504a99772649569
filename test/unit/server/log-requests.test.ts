import { describe, expect, it } from "@jest/globals";
import express from "express";
import request from "supertest";
import { logRequests } from "../../../src/server/log-requests.js";
import { captureLogs } from "../../helpers/capture-logs.js";

function setup() {
  const logs = captureLogs();
  const app = express();
  app.use(logRequests(logs.logger));
  app.post("/hook", (_req, res) => {
    res.locals.delivery = "d-9";
    res.locals.event = "issues";
    res.status(202).json({});
  });
  app.get("/health", (_req, res) => void res.json({ status: "ok" }));
  app.get("/teapot", (_req, res) => void res.status(418).end());
  app.get("/broken", (_req, res) => void res.status(500).end());
  return { app, logs };
}

const requestLines = (logs: ReturnType<typeof captureLogs>) =>
  logs.records().filter((record) => record.msg === "request");

describe("logRequests", () => {
  it("logs one line per request with method, path, status, time and delivery", async () => {
    const { app, logs } = setup();
    await request(app).post("/hook?x=1").send("{}");
    const lines = requestLines(logs);
    expect(lines).toHaveLength(1);
    expect(lines[0]).toMatchObject({
      level: 30,
      method: "POST",
      path: "/hook",
      status: 202,
      delivery: "d-9",
      event: "issues",
      ms: expect.any(Number),
    });
  });

  it("logs client errors as warnings and server errors as errors", async () => {
    const { app, logs } = setup();
    await request(app).get("/teapot");
    await request(app).get("/broken");
    expect(requestLines(logs).map((line) => [line.status, line.level])).toEqual([
      [418, 40],
      [500, 50],
    ]);
  });

  it("logs health checks at debug, so probes do not flood the log", async () => {
    const { app, logs } = setup();
    await request(app).get("/health");
    expect(requestLines(logs)).toMatchObject([{ level: 20, path: "/health", status: 200 }]);
  });

  it("writes only the lines its level lets through", async () => {
    const { app, logs } = setup();
    logs.logger.level = "warn";
    await request(app).post("/hook").send("{}");
    await request(app).get("/teapot");
    expect(requestLines(logs).map((line) => [line.status, line.level])).toEqual([[418, 40]]);
  });
});
