import { fileURLToPath } from "node:url";
import { afterEach, describe, expect, it } from "@jest/globals";
import request from "supertest";
import greeter from "../../plugins/greeter/index.js";
import type { App } from "../../src/app/app.js";
import { createApp, type Hookwright } from "../../src/app/create-app.js";
import { createConsole, type DeliveryConsole } from "../../src/console/create-console.js";
import { createDeliveryLog } from "../../src/console/delivery-log.js";
import { createScrubber } from "../../src/logging/create-logger.js";
import {
  startSandbox,
  type Sandbox,
  type SandboxOptions,
} from "../../src/sandbox/create-sandbox.js";
import { captureLogs } from "../helpers/capture-logs.js";
import { createSignedDelivery, loadFixture } from "../helpers/signed-delivery.js";

const FIXTURES = fileURLToPath(new URL("../../fixtures/webhooks/", import.meta.url));

interface Running {
  sandbox: Sandbox;
  hookwright: Hookwright;
  console: DeliveryConsole;
}
let running: Running | undefined;
afterEach(async () => {
  running?.console.close();
  await running?.hookwright.close(100);
  await running?.sandbox.close();
  running = undefined;
});

/** What `hookwright run` builds in sandbox mode, plus a plugin that fails on labels. */
async function start(options: SandboxOptions = {}): Promise<Running> {
  const sandbox = await startSandbox(options);
  const logs = captureLogs();
  const log = createDeliveryLog({ scrub: createScrubber([sandbox.webhookSecret]) });
  const hookwright = createApp({
    credentials: {
      appId: sandbox.appId,
      privateKey: sandbox.privateKey,
      webhookSecrets: [sandbox.webhookSecret],
    },
    github: { apiUrl: sandbox.apiUrl },
    dependencies: { logger: logs.logger, retryBaseMs: 1 },
  });
  log.attach(hookwright.events);
  const deliveryConsole = createConsole({
    log,
    receiver: hookwright.receiver,
    secret: sandbox.webhookSecret,
    token: undefined,
    fixturesDir: FIXTURES,
    logger: logs.logger,
    webUrl: "https://github.com",
    sandbox,
    schedules: () => hookwright.schedules.status(),
  });
  hookwright.getRouter("/").use(deliveryConsole.router);
  await hookwright.load(greeter, "greeter");
  await hookwright.load((app: App) => {
    app.schedule("nightly", { cron: "0 3 * * *" }, () => undefined);
  }, "janitor");
  await hookwright.schedules.start();
  await hookwright.load((app: App) => {
    app.on("issues.labeled", async () => {
      throw new Error("labeler broke");
    });
  }, "breaker");
  running = { sandbox, hookwright, console: deliveryConsole };
  return running;
}

async function sendSample(app: Hookwright["express"], name: string) {
  const sample = await request(app).get(`/console/api/samples/${name}`).expect(200);
  return request(app)
    .post("/console/api/send")
    .send({ event: sample.body.event, payload: sample.body.payload });
}

describe("delivery console (sandbox)", () => {
  it("sends a sample issues.opened, signed and verified, and shows the greeter's calls and comment", async () => {
    const { hookwright } = await start();
    const sent = await sendSample(hookwright.express, "issues.opened");
    expect(sent.status).toBe(200);
    expect(sent.body).toMatchObject({ status: 200, body: { status: "completed" } });
    const { body } = await request(hookwright.express).get("/console/api/deliveries").expect(200);
    expect(body.deliveries).toHaveLength(1);
    expect(body.deliveries[0]).toMatchObject({
      id: sent.body.id,
      event: "issues.opened",
      installation: 1,
      repository: "Codertocat/Hello-World",
      status: 200,
      outcome: "completed",
      plugins: ["greeter"],
      error: null,
      replayable: true,
      calls: [
        { method: "POST", path: "/app/installations/1/access_tokens", status: 201 },
        { method: "POST", path: "/repos/Codertocat/Hello-World/issues/1/comments", status: 201 },
      ],
      changes: [
        {
          kind: "comment",
          repository: "Codertocat/Hello-World",
          issue: 1,
          body: expect.stringContaining("Thanks for opening this issue, @Codertocat"),
        },
      ],
    });
    expect(typeof body.deliveries[0].durationMs).toBe("number");
  });

  it("replays a past delivery under a new id through the same checks, newest first", async () => {
    const { hookwright, sandbox } = await start();
    const sent = await sendSample(hookwright.express, "issues.opened");
    const replay = await request(hookwright.express)
      .post("/console/api/deliveries/1/replay")
      .set("content-type", "application/json")
      .expect(200);
    expect(replay.body.id).not.toBe(sent.body.id);
    expect(replay.body.status).toBe(200);
    const { body } = await request(hookwright.express).get("/console/api/deliveries");
    expect(body.deliveries.map((d: { id: string }) => d.id)).toEqual([
      replay.body.id,
      sent.body.id,
    ]);
    expect(body.deliveries[0].changes).toHaveLength(1);
    expect(sandbox.changesFor(replay.body.id)).toHaveLength(1);
    await request(hookwright.express)
      .post("/console/api/deliveries/99/replay")
      .set("content-type", "application/json")
      .expect(404);
  });

  it("shows a failing plugin's error, and a delivery GitHub signed with another secret as refused", async () => {
    const { hookwright } = await start();
    const failed = await sendSample(hookwright.express, "issues.labeled");
    expect(failed.body.status).toBe(500);
    const forged = createSignedDelivery({
      secret: "not-the-secret",
      event: "issues",
      rawBody: loadFixture("issues.opened"),
    });
    await request(hookwright.express)
      .post("/api/github/webhooks")
      .set(forged.headers)
      .send(forged.body.toString("utf8"))
      .expect(401);
    const { body } = await request(hookwright.express).get("/console/api/deliveries");
    const [refused, labeled] = body.deliveries;
    expect(labeled).toMatchObject({ outcome: "failed", status: 500, plugins: ["breaker"] });
    expect(labeled.error).toContain("labeler broke");
    expect(refused).toMatchObject({ outcome: "refused", status: 401, replayable: false });
    expect(refused.error).toMatch(/^SIGNATURE_MISMATCH/);
  });

  it("sends an edited payload byte for byte, and refuses one that is not a JSON object", async () => {
    const { hookwright } = await start();
    const payload = JSON.stringify({
      action: "opened",
      installation: { id: 1 },
      repository: { full_name: "<img src=x onerror=alert(1)>" },
    });
    const sent = await request(hookwright.express)
      .post("/console/api/send")
      .send({ event: "star", payload });
    expect(sent.body.status).toBe(200);
    const { body } = await request(hookwright.express).get("/console/api/deliveries");
    // JSON carries the text unchanged; the page puts it in text nodes only.
    expect(body.deliveries[0].repository).toBe("<img src=x onerror=alert(1)>");
    const bad = await request(hookwright.express)
      .post("/console/api/send")
      .send({ event: "star", payload: "[1]" });
    expect(bad.status).toBe(400);
    expect(bad.body.error.code).toBe("INVALID_REQUEST");
    const badEvent = await request(hookwright.express)
      .post("/console/api/send")
      .send({ event: "Issues Opened", payload: "{}" });
    expect(badEvent.body.error.code).toBe("INVALID_REQUEST");
  });

  it("refuses a POST that is not JSON (what a cross-site form would send)", async () => {
    const { hookwright } = await start();
    const response = await request(hookwright.express)
      .post("/console/api/send")
      .type("form")
      .send({ event: "issues", payload: "{}" });
    expect(response.status).toBe(415);
    const { body } = await request(hookwright.express).get("/console/api/deliveries");
    expect(body.deliveries).toEqual([]);
  });

  it("streams a server-sent event when a delivery changes, and ends streams on close", async () => {
    const { hookwright } = await start();
    const server = await hookwright.listen(0, "127.0.0.1");
    const { port } = server.address() as { port: number };
    const stream = await fetch(`http://127.0.0.1:${port}/console/api/stream`);
    expect(stream.headers.get("content-type")).toBe("text/event-stream");
    const reader = stream.body!.getReader();
    await reader.read(); // ": open"
    await sendSample(hookwright.express, "ping");
    let text = "";
    while (!text.includes("event: delivery")) {
      const { value } = await reader.read();
      text += new TextDecoder().decode(value);
    }
    expect(text).toMatch(/event: delivery\ndata: 1\n\n/);
    running!.console.close();
    let done = false;
    while (!done) done = (await reader.read()).done;
  });

  it.each(["classic", "stateless"] as const)(
    "never answers with the sandbox's secret, key or %s installation tokens",
    async (tokenFormat) => {
      const { hookwright, sandbox } = await start({ tokenFormat });
      await sendSample(hookwright.express, "issues.opened");
      const pages = await Promise.all(
        ["/", "/console/api/info", "/console/api/deliveries", "/console/api/samples"].map((path) =>
          request(hookwright.express).get(path),
        ),
      );
      const text = pages.map((page) => page.text).join("\n");
      expect(text).toContain("access_tokens");
      expect(text).not.toContain(sandbox.webhookSecret);
      expect(text).not.toMatch(/ghs_|PRIVATE KEY|eyJ/);
      expect(pages[1]!.body).toEqual({
        sandbox: true,
        registration: false,
        queue: false,
        webhookProxyUrl: null,
      });
    },
  );

  it("lists each schedule with its next and last tick", async () => {
    const { hookwright } = await start();
    const { body } = await request(hookwright.express).get("/console/api/schedules");
    expect(body.schedules).toEqual([
      {
        id: "janitor/nightly",
        per: "installation",
        lastRunAt: null,
        nextRunAt: expect.stringMatching(/T03:00:00\.000Z$/),
      },
    ]);
  });

  it("Redeliver sends the same id and shows the duplicate answer; Run as new runs the handlers again", async () => {
    const { hookwright, sandbox } = await start();
    const sent = await sendSample(hookwright.express, "issues.opened");
    const post = (path: string) =>
      request(hookwright.express).post(path).set("content-type", "application/json");
    const again = await post("/console/api/deliveries/1/redeliver").expect(200);
    expect(again.body).toMatchObject({
      id: sent.body.id,
      status: 200,
      body: { status: "duplicate" },
    });
    const fresh = await post("/console/api/deliveries/1/run-as-new").expect(200);
    expect(fresh.body.id).not.toBe(sent.body.id);
    expect(fresh.body).toMatchObject({ status: 200, body: { status: "completed" } });
    const { body } = await request(hookwright.express).get("/console/api/deliveries");
    const [asNew, duplicate, original] = body.deliveries;
    expect(asNew).toMatchObject({
      id: fresh.body.id,
      outcome: "completed",
      replay: { kind: "new", of: 1 },
    });
    expect(duplicate).toMatchObject({
      id: sent.body.id,
      outcome: "duplicate",
      replay: { kind: "redelivery", of: 1 },
    });
    expect(original.replay).toBeNull();
    // The greeter commented twice: once for the delivery, once for the run as new.
    expect(sandbox.changesFor(sent.body.id)).toHaveLength(1);
    expect(sandbox.changesFor(fresh.body.id)).toHaveLength(1);
    await post("/console/api/deliveries/99/redeliver").expect(404);
  });

  it("names the failing plugin, attributes each call to its plugin and marks config lookups as expected", async () => {
    const { hookwright } = await start();
    await hookwright.load((app: App) => {
      app.on("issues.labeled", async (context) => {
        await context.config("labeler.yml", {});
      });
    }, "configured");
    await sendSample(hookwright.express, "issues.labeled");
    const { body } = await request(hookwright.express).get("/console/api/deliveries");
    const [labeled] = body.deliveries;
    expect(labeled.pluginRuns).toEqual(
      expect.arrayContaining([
        { plugin: "breaker", outcome: "failed", error: "labeler broke" },
        { plugin: "configured", outcome: "completed", error: null },
      ]),
    );
    const lookups = labeled.calls.filter((call: { path: string }) =>
      call.path.includes("contents"),
    );
    expect(lookups.length).toBeGreaterThan(0);
    for (const call of lookups) {
      expect(call).toMatchObject({
        method: "GET",
        status: 404,
        plugin: "configured",
        expected: true,
      });
    }
  });

  it("takes name.action in the Event field, and refuses an unknown event with the known ones", async () => {
    const { hookwright } = await start();
    const send = (event: string, payload: string) =>
      request(hookwright.express).post("/console/api/send").send({ event, payload });
    const sample = await request(hookwright.express).get("/console/api/samples/issues.opened");
    expect((await send("issues.opened", sample.body.payload)).body.status).toBe(200);
    const unknown = await send("made_up", "{}");
    expect(unknown.status).toBe(400);
    expect(unknown.body.error.message).toMatch(
      /^"made_up" is not an event GitHub sends; known events: .*\bissues\b.*\bpull_request\b/,
    );
    const action = await send("issues.exploded", "{}");
    expect(action.body.error.message).toMatch(
      /^"exploded" is not an action of issues; its actions: .*opened/,
    );
    const mismatch = await send("issues.closed", sample.body.payload);
    expect(mismatch.body.error.message).toBe('the payload\'s action is "opened", not "closed"');
  });

  it("says where a payload's JSON breaks, by line and column", async () => {
    const { hookwright } = await start();
    const response = await request(hookwright.express)
      .post("/console/api/send")
      .send({ event: "issues", payload: '{\n  "action": "opened",\n  "x": }' });
    expect(response.status).toBe(400);
    expect(response.body.error.message).toBe("the payload is not valid JSON (line 3, column 8)");
  });

  it("logs the console's own page and calls at debug, not info", async () => {
    const sandbox = await startSandbox();
    const logs = captureLogs();
    const hookwright = createApp({
      credentials: { appId: sandbox.appId, privateKey: sandbox.privateKey, webhookSecrets: ["s"] },
      github: { apiUrl: sandbox.apiUrl },
      dependencies: { logger: logs.logger },
    });
    const deliveryConsole = createConsole({
      log: createDeliveryLog(),
      receiver: hookwright.receiver,
      secret: "s",
      token: undefined,
      fixturesDir: FIXTURES,
      logger: logs.logger,
      webUrl: "https://github.com",
      sandbox,
    });
    hookwright.getRouter("/").use(deliveryConsole.router);
    running = { sandbox, hookwright, console: deliveryConsole };
    for (const path of ["/", "/favicon.ico", "/console/api/info", "/console/api/deliveries"]) {
      await request(hookwright.express).get(path);
    }
    const requests = logs.records().filter((record) => record.msg === "request");
    expect(requests).toHaveLength(4);
    for (const record of requests) expect(record.level).toBe(20);
  });
});
