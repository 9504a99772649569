import { afterEach, describe, expect, it } from "@jest/globals";
import { createPrivateKey } from "node:crypto";
import { request as httpRequest, type ClientRequest, type IncomingMessage } from "node:http";
import type { AddressInfo } from "node:net";
import request from "supertest";
import { createApp, type CreateAppOptions, type Hookwright } from "../../src/index.js";
import { MAX_BODY_BYTES } from "../../src/server/create-server.js";
import { createMemoryAckedFailures } from "../../src/webhooks/acked-failures.js";
import { createMemoryDeliveryRecords } from "../../src/webhooks/delivery-records.js";
import { captureLogs } from "../helpers/capture-logs.js";
import { createFakeGitHub } from "../helpers/fake-github/index.js";
import { testKeys } from "../helpers/keys.js";
import { gate } from "../helpers/wait.js";
import { createSignedDelivery, loadFixture, signBody } from "../helpers/signed-delivery.js";

const SECRET = "http-secret-value";
const PATH = "/api/github/webhooks";
// A string only the payload holds: no response body may echo it.
const MARKER = "payload-marker-5f2c";

type Overrides = Omit<Partial<CreateAppOptions>, "credentials" | "github" | "dependencies">;

function setup(options: Overrides = {}) {
  const keys = testKeys();
  const github = createFakeGitHub({
    appId: 99,
    publicKey: keys.publicKey,
    installations: [
      { id: 1, account: { login: "Codertocat" }, repositories: ["Codertocat/Hello-World"] },
    ],
  });
  const logs = captureLogs();
  const hookwright = createApp({
    credentials: {
      appId: "99",
      privateKey: createPrivateKey(keys.privateKeyPem),
      webhookSecrets: [SECRET],
    },
    github: { apiUrl: "https://api.github.test" },
    dependencies: { fetch: github.fetch, logger: logs.logger, retryBaseMs: 1 },
    ...options,
  });
  return { github, logs, hookwright };
}

const issuePayload = () => {
  const payload = JSON.parse(loadFixture("issues.opened").toString("utf8"));
  payload.installation = { id: 1 };
  payload.issue.title = MARKER;
  return payload;
};

const issueDelivery = (id?: string) =>
  createSignedDelivery({ secret: SECRET, event: "issues", payload: issuePayload(), id });

function post(hookwright: Hookwright, headers: Record<string, string | undefined>, body: string) {
  const test = request(hookwright.express).post(PATH);
  for (const [name, value] of Object.entries(headers))
    if (value !== undefined) test.set(name, value);
  return test.send(body);
}

const send = (hookwright: Hookwright, delivery: ReturnType<typeof issueDelivery>) =>
  post(hookwright, delivery.headers, delivery.body.toString("utf8"));

function expectErrorBody(body: unknown, code: string) {
  expect(body).toEqual({ error: { code, message: expect.any(String) } });
  const text = JSON.stringify(body);
  expect(text).not.toContain(SECRET);
  expect(text).not.toContain(MARKER);
}

let current: Hookwright | undefined;
afterEach(async () => {
  await current?.close(100);
  current = undefined;
});

function start(options: Overrides = {}) {
  const app = setup(options);
  current = app.hookwright;
  return app;
}

async function listen(hookwright: Hookwright): Promise<number> {
  const server = await hookwright.listen(0, "127.0.0.1");
  return (server.address() as AddressInfo).port;
}

/** Sends headers and `first` bytes, then waits for the answer without sending the rest. */
function answerBeforeRest(
  port: number,
  headers: Record<string, string>,
  write: (req: ClientRequest) => void,
): Promise<IncomingMessage & { text: string }> {
  return new Promise((resolve, reject) => {
    const req = httpRequest({ host: "127.0.0.1", port, method: "POST", path: PATH, headers });
    req.on("response", (res) => {
      let text = "";
      res.setEncoding("utf8");
      res.on("data", (chunk: string) => (text += chunk));
      res.on("end", () => {
        req.destroy();
        resolve(Object.assign(res, { text }));
      });
    });
    req.on("error", reject);
    write(req);
  });
}

describe("POST webhook path over HTTP", () => {
  it("answers 405 with Allow: POST to other methods on the webhook path", async () => {
    const { hookwright } = start();
    const res = await request(hookwright.express).get(PATH);
    expect(res.status).toBe(405);
    expect(res.headers.allow).toBe("POST");
    expectErrorBody(res.body, "METHOD_NOT_ALLOWED");
  });

  it("answers 404 with a JSON error body for an unknown path", async () => {
    const { hookwright } = start();
    const res = await request(hookwright.express).post("/nowhere").send("{}");
    expect(res.status).toBe(404);
    expectErrorBody(res.body, "NOT_FOUND");
  });

  it("answers 413 as soon as Content-Length is over the cap, without waiting for the body", async () => {
    const { hookwright } = start();
    const port = await listen(hookwright);
    const delivery = issueDelivery();
    const res = await answerBeforeRest(
      port,
      { ...delivery.headers, "content-length": String(MAX_BODY_BYTES + 1) },
      (req) => req.write("{}"),
    );
    expect(res.statusCode).toBe(413);
    expectErrorBody(JSON.parse(res.text), "PAYLOAD_TOO_LARGE");
  });

  it("answers 413 to a chunked upload once it passes the cap", async () => {
    const { hookwright } = start();
    const port = await listen(hookwright);
    const delivery = issueDelivery();
    const chunk = Buffer.alloc(1024 * 1024, 0x20);
    const res = await answerBeforeRest(port, delivery.headers, (req) => {
      // 25 MiB and one chunk more, then nothing: the answer must come without the end.
      for (let sent = 0; sent <= MAX_BODY_BYTES; sent += chunk.length) req.write(chunk);
    });
    expect(res.statusCode).toBe(413);
    expectErrorBody(JSON.parse(res.text), "PAYLOAD_TOO_LARGE");
  });

  it("accepts a signed body of exactly the cap", async () => {
    const { hookwright } = start();
    const json = '{"zen":"ok"}';
    const body = json + " ".repeat(MAX_BODY_BYTES - json.length);
    const delivery = createSignedDelivery({ secret: SECRET, event: "ping", rawBody: body });
    const res = await post(hookwright, delivery.headers, body);
    expect(res.status).toBe(200);
  });

  it("answers 415 to a text/plain body, even when signed", async () => {
    const { hookwright } = start();
    const delivery = issueDelivery();
    const res = await post(
      hookwright,
      { ...delivery.headers, "content-type": "text/plain" },
      delivery.body.toString("utf8"),
    );
    expect(res.status).toBe(415);
    expectErrorBody(res.body, "UNSUPPORTED_MEDIA_TYPE");
  });

  it.each(["x-github-event", "x-github-delivery", "x-hub-signature-256"])(
    "answers 400 when %s is missing",
    async (name) => {
      const { hookwright } = start();
      const delivery = issueDelivery();
      const res = await post(
        hookwright,
        { ...delivery.headers, [name]: undefined },
        delivery.body.toString("utf8"),
      );
      expect(res.status).toBe(400);
      expectErrorBody(res.body, "MISSING_HEADER");
      expect(res.body.error.message.toLowerCase()).toContain(name);
    },
  );

  it("answers 401 to a bad signature and runs no handler", async () => {
    const { hookwright } = start();
    let ran = false;
    await hookwright.load((app) => app.onAny(async () => void (ran = true)), "spy");
    const delivery = issueDelivery();
    const res = await post(
      hookwright,
      { ...delivery.headers, "x-hub-signature-256": signBody("not-the-secret", delivery.body) },
      delivery.body.toString("utf8"),
    );
    expect(res.status).toBe(401);
    expectErrorBody(res.body, "SIGNATURE_MISMATCH");
    expect(ran).toBe(false);
  });

  it("answers 400 to a signed body that is not a JSON object", async () => {
    const { hookwright } = start();
    const body = `["${MARKER}"]`;
    const delivery = createSignedDelivery({ secret: SECRET, event: "issues", rawBody: body });
    const res = await post(hookwright, delivery.headers, body);
    expect(res.status).toBe(400);
    expectErrorBody(res.body, "INVALID_PAYLOAD");
  });

  it("answers 200 once handlers finish, and 200 without running them to a redelivery", async () => {
    const { hookwright, github } = start();
    await hookwright.load((app) => {
      app.on("issues.opened", async (context) => {
        await context.octokit.rest.issues.createComment(context.issue({ body: "hello" }));
      });
    }, "commenter");
    const delivery = issueDelivery();
    const first = await send(hookwright, delivery);
    expect(first.status).toBe(200);
    expect(github.comments).toHaveLength(1);
    const again = await send(hookwright, delivery);
    expect(again.status).toBe(200);
    expect(again.body).toEqual({ status: "duplicate" });
    expect(github.comments).toHaveLength(1);
  });

  it("accepts a form-encoded delivery", async () => {
    const { hookwright } = start();
    let title: unknown;
    await hookwright.load((app) => {
      app.on("issues.opened", async (context) => void (title = context.payload.issue.title));
    }, "reader");
    const delivery = createSignedDelivery({
      secret: SECRET,
      event: "issues",
      payload: issuePayload(),
      contentType: "application/x-www-form-urlencoded",
    });
    expect((await send(hookwright, delivery)).status).toBe(200);
    expect(title).toBe(MARKER);
  });

  it("answers 500 with a generic body when a handler fails, keeping the details in the log", async () => {
    const { hookwright, logs } = start();
    await hookwright.load((app) => {
      app.on("issues.opened", async () => {
        throw new Error(`failed on ${MARKER}`);
      });
    }, "failing");
    const delivery = issueDelivery();
    const res = await send(hookwright, delivery);
    expect(res.status).toBe(500);
    expectErrorBody(res.body, "HANDLER_FAILED");
    const failure = logs.records().find((record) => record.msg === "handler failed");
    expect(failure).toMatchObject({ deliveryId: delivery.id, plugin: "failing" });
    expect(JSON.stringify(failure)).toContain(MARKER);
  });

  it("answers 202 at the deadline and finishes the delivery afterwards", async () => {
    const { hookwright, github } = start({ webhooks: { deadlineMs: 50 } });
    const handler = gate();
    await hookwright.load((app) => {
      app.on("issues.opened", async (context) => {
        await handler.opened;
        await context.octokit.rest.issues.createComment(context.issue({ body: "late" }));
      });
    }, "slow");
    const delivery = issueDelivery();
    const res = await send(hookwright, delivery);
    expect(res.status).toBe(202);
    expect(github.comments).toHaveLength(0);
    handler.open();
    expect(await hookwright.scheduler.drain(5000)).toEqual([]);
    expect(github.comments).toHaveLength(1);
    const again = await send(hookwright, delivery);
    expect(again.status).toBe(200);
    expect(again.body).toEqual({ status: "duplicate" });
  });

  it("answers 503 when the delivery store cannot be reached", async () => {
    const { hookwright } = start({
      stores: {
        deliveries: {
          ...createMemoryDeliveryRecords(),
          begin: () => Promise.reject(new Error(`store down ${SECRET}`)),
        },
      },
    });
    const res = await send(hookwright, issueDelivery());
    expect(res.status).toBe(503);
    expectErrorBody(res.body, "SERVICE_UNAVAILABLE");
  });
});

describe("other routes", () => {
  it("serves /health and /ping", async () => {
    const { hookwright } = start();
    const health = await request(hookwright.express).get("/health");
    expect(health.status).toBe(200);
    expect(health.body).toEqual({ status: "ok" });
    const ping = await request(hookwright.express).get("/ping");
    expect(ping.status).toBe(200);
    expect(ping.text).toBe("PONG");
  });

  it("reports /ready as starting before listen, ready after, and draining while closing", async () => {
    const { hookwright } = start({ webhooks: { deadlineMs: 50 } });
    const before = await request(hookwright.express).get("/ready");
    expect(before.status).toBe(503);
    expect(before.body).toEqual({ status: "starting" });
    await listen(hookwright);
    const after = await request(hookwright.express).get("/ready");
    expect(after.status).toBe(200);
    expect(after.body).toEqual({ status: "ready" });

    const handler = gate();
    await hookwright.load((app) => app.onAny(() => handler.opened), "slow");
    expect((await send(hookwright, issueDelivery())).status).toBe(202);
    const closing = hookwright.close(5000);
    const during = await request(hookwright.express).get("/ready");
    expect(during.status).toBe(503);
    expect(during.body).toEqual({ status: "draining" });
    handler.open();
    expect(await closing).toBe(true);
  });

  it("lets close() finish an in-flight delivery: its comment is made and its answer sent", async () => {
    const { hookwright, github } = start();
    const port = await listen(hookwright);
    const handler = gate();
    let started!: () => void;
    const running = new Promise<void>((resolve) => (started = resolve));
    await hookwright.load((app) => {
      app.on("issues.opened", async (context) => {
        started();
        await handler.opened;
        await context.octokit.rest.issues.createComment(context.issue({ body: "done" }));
      });
    }, "slow");
    const delivery = issueDelivery();
    const answer = fetch(`http://127.0.0.1:${port}${PATH}`, {
      method: "POST",
      headers: delivery.headers,
      body: delivery.body,
    });
    await running;
    const closing = hookwright.close(5000);
    handler.open();
    expect(await closing).toBe(true);
    expect(github.comments).toHaveLength(1);
    expect((await answer).status).toBe(200);
  });

  it("lets close() answer a delivery still being accepted when it was called", async () => {
    const accepting = gate();
    let begun!: () => void;
    const begins = new Promise<void>((resolve) => (begun = resolve));
    const records = createMemoryDeliveryRecords();
    const { hookwright, github } = start({
      stores: {
        deliveries: {
          ...records,
          begin: async (id, owner) => {
            begun();
            await accepting.opened;
            return records.begin(id, owner);
          },
        },
      },
    });
    const port = await listen(hookwright);
    await hookwright.load((app) => {
      app.on("issues.opened", async (context) => {
        await context.octokit.rest.issues.createComment(context.issue({ body: "done" }));
      });
    }, "commenter");
    const delivery = issueDelivery();
    const answer = fetch(`http://127.0.0.1:${port}${PATH}`, {
      method: "POST",
      headers: delivery.headers,
      body: delivery.body,
    });
    await begins;
    const closing = hookwright.close(5000);
    accepting.open();
    expect((await answer).status).toBe(200);
    expect(await closing).toBe(true);
    expect(github.comments).toHaveLength(1);
  });

  it("close() reports false when a delivery outlasts the drain time", async () => {
    const { hookwright } = start({ webhooks: { deadlineMs: 50 } });
    await listen(hookwright);
    const handler = gate();
    await hookwright.load((app) => app.onAny(() => handler.opened), "stuck");
    expect((await send(hookwright, issueDelivery())).status).toBe(202);
    expect(await hookwright.close(20)).toBe(false);
    handler.open();
  });

  it("close() hands back a delivery still running before its deadline: journalled, answered 503", async () => {
    const ackedFailures = createMemoryAckedFailures();
    const { hookwright } = start({ webhooks: { deadlineMs: 60_000 }, stores: { ackedFailures } });
    const port = await listen(hookwright);
    const handler = gate();
    let started!: () => void;
    const running = new Promise<void>((resolve) => (started = resolve));
    await hookwright.load((app) => {
      app.onAny(async () => {
        started();
        await handler.opened;
      });
    }, "stuck");
    const delivery = issueDelivery();
    const answer = fetch(`http://127.0.0.1:${port}${PATH}`, {
      method: "POST",
      headers: delivery.headers,
      body: delivery.body,
    });
    await running;
    expect(await hookwright.close(100)).toBe(false);
    const res = await answer;
    expect(res.status).toBe(503);
    expectErrorBody(await res.json(), "SERVICE_UNAVAILABLE");
    expect([...(await ackedFailures.since(0)).keys()]).toEqual([delivery.id]);
    handler.open();
  });

  it("counts each webhook answer by event and status at /metrics", async () => {
    const { hookwright } = start();
    await hookwright.load((app) => {
      app.on("issues.opened", async () => {
        throw new Error("handler broke");
      });
    }, "failing");
    expect((await send(hookwright, issueDelivery())).status).toBe(500);
    await post(hookwright, { "x-hub-signature-256": "sha256=00" }, "{}");
    const res = await request(hookwright.express).get("/metrics");
    expect(res.status).toBe(200);
    expect(res.headers["content-type"]).toMatch(/^text\/plain; version=0\.0\.4/);
    expect(res.text).toContain('hookwright_deliveries_total{event="issues",status="500"} 1');
    expect(res.text).toContain('hookwright_deliveries_total{event="unverified",status="400"} 1');
  });

  it("serves a plugin's own router", async () => {
    const { hookwright } = start();
    await hookwright.load((_app, options) => {
      options.getRouter("/my").get("/status", (_req, res) => void res.json({ mine: true }));
    }, "router");
    const res = await request(hookwright.express).get("/my/status");
    expect(res.status).toBe(200);
    expect(res.body).toEqual({ mine: true });
  });

  it("logs one line per request with method, path, status, and the delivery for webhooks", async () => {
    const { hookwright, logs } = start();
    const delivery = issueDelivery();
    await send(hookwright, delivery);
    const bad = issueDelivery();
    await post(hookwright, { ...bad.headers, "x-hub-signature-256": "sha256=00" }, "{}");
    await request(hookwright.express).get("/health");
    const lines = logs.records().filter((record) => record.msg === "request");
    expect(lines).toEqual([
      expect.objectContaining({
        method: "POST",
        path: PATH,
        statusCode: 200,
        durationMs: expect.any(Number),
        deliveryId: delivery.id,
        event: "issues.opened",
        action: "opened",
        installationId: 1,
        repo: "Codertocat/Hello-World",
      }),
      expect.objectContaining({ method: "POST", path: PATH, statusCode: 401, deliveryId: bad.id }),
      expect.objectContaining({ method: "GET", path: "/health", statusCode: 200 }),
    ]);
    expect(logs.text()).not.toContain(SECRET);
  });
});
