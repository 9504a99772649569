import { describe, expect, it } from "@jest/globals";
import express from "express";
import request from "supertest";
import { createDeliveryEvents } from "../../../src/events/delivery-events.js";
import { createMetrics } from "../../../src/server/create-metrics.js";
import { createServer, MAX_BODY_BYTES, type Readiness } from "../../../src/server/create-server.js";
import type { WebhookReceiver } from "../../../src/webhooks/create-webhook-receiver.js";
import type { Headers } from "../../../src/webhooks/parse-delivery.js";
import { captureLogs } from "../../helpers/capture-logs.js";

const PATH = "/hooks";
const GUID = "72d3162e-cc78-11e3-81ab-4c9367dc0958";

function setup(extra: { bodyBudgetBytes?: number } = {}) {
  const logs = captureLogs();
  const received: { headers: Headers; body: Buffer }[] = [];
  let answer = { status: 200, body: { status: "completed" } as unknown };
  let hold: Promise<void> = Promise.resolve();
  // A receiver that records what the route hands it and answers as told.
  const receiver: WebhookReceiver = {
    async receive(headers, body) {
      received.push({ headers, body });
      await hold;
      return { ...answer, delivery: { id: "d-1", name: "issues", payload: {} } };
    },
  };
  let readiness: Readiness = "starting";
  const events = createDeliveryEvents();
  const server = createServer({
    receiver,
    webhookPath: PATH,
    logger: logs.logger,
    readiness: () => readiness,
    metrics: createMetrics({ events, inFlight: () => 0 }),
    ...extra,
  });
  return {
    ...server,
    logs,
    events,
    received,
    answer: (next: typeof answer) => (answer = next),
    setReadiness: (next: Readiness) => (readiness = next),
    /** Keeps the receiver from answering until the returned function is called. */
    holdReceiver: () => {
      let open!: () => void;
      hold = new Promise<void>((resolve) => (open = resolve));
      return open;
    },
  };
}

describe("createServer", () => {
  it("hands the receiver the body byte for byte, whatever its type, and sends its answer", async () => {
    const { app, received, answer } = setup();
    answer({ status: 202, body: { status: "accepted" } });
    const body = '{ "spaced" :  true }\n';
    const res = await request(app)
      .post(PATH)
      .set("content-type", "application/json")
      .set("x-github-delivery", "d-1")
      .send(body);
    expect(res.status).toBe(202);
    expect(res.body).toEqual({ status: "accepted" });
    expect(received).toHaveLength(1);
    expect(received[0]!.body.toString("utf8")).toBe(body);
    expect(received[0]!.headers["x-github-delivery"]).toBe("d-1");
  });

  it("hands over an empty body as an empty buffer", async () => {
    const { app, received } = setup();
    await request(app).post(PATH);
    expect(received[0]!.body).toEqual(Buffer.alloc(0));
  });

  it("answers 413 to a body over the cap without calling the receiver", async () => {
    const { app, received } = setup();
    const res = await request(app)
      .post(PATH)
      .set("content-type", "application/json")
      .send("x".repeat(MAX_BODY_BYTES + 1));
    expect(res.status).toBe(413);
    expect(res.body).toEqual({ error: { code: "PAYLOAD_TOO_LARGE", message: expect.any(String) } });
    expect(received).toHaveLength(0);
  });

  it("answers 415 to a compressed body", async () => {
    const { app, received } = setup();
    const res = await request(app).post(PATH).set("content-encoding", "gzip").send("{}");
    expect(res.status).toBe(415);
    expect(res.body.error.code).toBe("UNSUPPORTED_MEDIA_TYPE");
    expect(received).toHaveLength(0);
  });

  it.each(["get", "put", "delete"] as const)(
    "answers 405 to %s on the webhook path",
    async (method) => {
      const { app } = setup();
      const res = await request(app)[method](PATH);
      expect(res.status).toBe(405);
      expect(res.headers.allow).toBe("POST");
      expect(res.body.error.code).toBe("METHOD_NOT_ALLOWED");
    },
  );

  it("answers 404 with a JSON error to an unknown path", async () => {
    const { app } = setup();
    const res = await request(app).get("/api/github/webhooks");
    expect(res.status).toBe(404);
    expect(res.body).toEqual({ error: { code: "NOT_FOUND", message: expect.any(String) } });
  });

  it("serves /health, /ping and /ready from the readiness it is given", async () => {
    const { app, setReadiness } = setup();
    expect((await request(app).get("/health")).body).toEqual({ status: "ok" });
    const ping = await request(app).get("/ping");
    expect(ping.text).toBe("PONG");
    expect(ping.headers["content-type"]).toMatch(/^text\/plain/);
    for (const [state, status] of [
      ["starting", 503],
      ["ready", 200],
      ["draining", 503],
    ] as const) {
      setReadiness(state);
      const ready = await request(app).get("/ready");
      expect([ready.status, ready.body]).toEqual([status, { status: state }]);
    }
  });

  it("serves routes plugins ask for, before the 404", async () => {
    const { app, getRouter } = setup();
    getRouter("/my").get("/hello", (_req, res) => void res.send("hi"));
    getRouter().get("/root-level", (_req, res) => void res.send("root"));
    expect((await request(app).get("/my/hello")).text).toBe("hi");
    expect((await request(app).get("/root-level")).text).toBe("root");
  });

  it("answers a plugin route's failure with a generic 500 and logs the details", async () => {
    const { app, getRouter, logs } = setup();
    getRouter("/my").get("/fail", () => {
      throw new Error("plugin route secret detail");
    });
    const res = await request(app).get("/my/fail");
    expect(res.status).toBe(500);
    expect(res.body).toEqual({ error: { code: "INTERNAL", message: expect.any(String) } });
    expect(res.text).not.toContain("secret detail");
    expect(logs.text()).toContain("plugin route secret detail");
  });

  it("logs the delivery and event of a webhook request", async () => {
    const { app, logs } = setup();
    await request(app).post(PATH).set("x-github-delivery", GUID).send("{}");
    const line = logs.records().find((record) => record.msg === "request");
    expect(line).toMatchObject({ method: "POST", path: PATH, deliveryId: GUID, event: "issues" });
  });

  it("does not log a delivery id that is not a GUID, however long", async () => {
    const { app, logs, answer } = setup();
    answer({ status: 401, body: {} });
    const junk = "j".repeat(8000);
    await request(app).post(PATH).set("x-github-delivery", junk).send("{}");
    const line = logs.records().find((record) => record.msg === "request");
    expect(line).toMatchObject({ statusCode: 401 });
    expect(line).not.toHaveProperty("deliveryId");
    expect(logs.text()).not.toContain("jjjjjjjj");
  });

  it("answers 503 with retry-after once the body budget is spent, and takes bodies again when it is freed", async () => {
    const { app, received, holdReceiver } = setup({ bodyBudgetBytes: 1000 });
    const release = holdReceiver();
    const body = "x".repeat(400);
    const held = [1, 2].map(() =>
      request(app)
        .post(PATH)
        .send(body)
        .then((res) => res),
    );
    const waitForReceiver = async () => {
      while (received.length < 2) await new Promise((resolve) => setImmediate(resolve));
    };
    await waitForReceiver();
    // 800 bytes are held by the two bodies the receiver is still working on.
    const refused = await request(app).post(PATH).send(body);
    expect(refused.status).toBe(503);
    expect(refused.headers["retry-after"]).toBe("5");
    expect(refused.body.error.code).toBe("SERVER_BUSY");
    expect(received).toHaveLength(2);
    release();
    expect((await Promise.all(held)).map((res) => res.status)).toEqual([200, 200]);
    expect((await request(app).post(PATH).send(body)).status).toBe(200);
  });

  it("answers a path with a malformed %-escape with 400, not 500", async () => {
    const { app, getRouter, logs } = setup();
    getRouter("/items").get("/:name", (req, res) => void res.send(req.params.name));
    const res = await request(app).get("/items/%E0%A4%A");
    expect(res.status).toBe(400);
    expect(res.body.error.code).toBe("INVALID_REQUEST");
    expect(logs.text()).not.toContain("URIError");
  });

  it("keeps a plugin route's 404 from http-errors a 404", async () => {
    const { app, getRouter } = setup();
    getRouter("/p").get("/gone", (_req, _res, next) =>
      next(Object.assign(new Error("no such thing"), { status: 404, expose: true })),
    );
    const res = await request(app).get("/p/gone");
    expect([res.status, res.body.error.code]).toEqual([404, "NOT_FOUND"]);
  });

  it("answers JSON a plugin's parser cannot read with 400, and a body over its limit with 413", async () => {
    const { app, getRouter } = setup();
    const router = getRouter("/plugin");
    router.post("/json", express.json({ limit: 10 }), (_req, res) => void res.send("ok"));
    const broken = await request(app)
      .post("/plugin/json")
      .set("content-type", "application/json")
      .send("{nope");
    expect([broken.status, broken.body.error.code]).toEqual([400, "INVALID_REQUEST"]);
    const large = await request(app)
      .post("/plugin/json")
      .set("content-type", "application/json")
      .send(JSON.stringify({ text: "far more than ten bytes" }));
    expect([large.status, large.body.error.code]).toEqual([413, "PAYLOAD_TOO_LARGE"]);
  });

  it("serves the answers its metrics counted at /metrics, in Prometheus's text format", async () => {
    const { app, events } = setup();
    events.emit({
      type: "answered",
      request: {
        headers: {},
        body: Buffer.from("{}"),
        status: 500,
        answer: {},
        delivery: { id: "d-1", name: "issues", event: "issues" },
      },
    });
    const res = await request(app).get("/metrics");
    expect(res.status).toBe(200);
    expect(res.headers["content-type"]).toMatch(/^text\/plain; version=0\.0\.4/);
    expect(res.text).toContain('hookwright_deliveries_total{event="issues",status="500"} 1');
  });
});
