import { describe, expect, it } from "@jest/globals";
import { createPrivateKey } from "node:crypto";
import { createApp, type CreateAppOptions } from "../../../src/app/create-app.js";
import { createDeliveryEvents, type DeliveryEvent } from "../../../src/events/delivery-events.js";
import { captureLogs } from "../../helpers/capture-logs.js";
import { createFakeGitHub } from "../../helpers/fake-github/index.js";
import { testKeys } from "../../helpers/keys.js";
import { createSignedDelivery, loadFixture } from "../../helpers/signed-delivery.js";
import { gate } from "../../helpers/wait.js";

const SECRET = "create-app-secret";
const REPO = "Codertocat/Hello-World";

function setup(options: Omit<Partial<CreateAppOptions>, "credentials" | "github"> = {}) {
  const keys = testKeys();
  const github = createFakeGitHub({
    appId: 12,
    publicKey: keys.publicKey,
    installations: [{ id: 1, account: { login: "Codertocat" }, repositories: [REPO] }],
  });
  const hookwright = createApp({
    credentials: {
      appId: "12",
      privateKey: createPrivateKey(keys.privateKeyPem),
      webhookSecrets: [SECRET],
    },
    github: { apiUrl: "https://api.github.test" },
    ...options,
    dependencies: {
      fetch: github.fetch,
      logger: captureLogs().logger,
      retryBaseMs: 1,
      ...options.dependencies,
    },
  });
  return { github, hookwright };
}

function issueOpened() {
  const payload = JSON.parse(loadFixture("issues.opened").toString("utf8"));
  payload.installation = { id: 1 };
  return createSignedDelivery({ secret: SECRET, event: "issues", payload });
}

describe("createApp", () => {
  it("emits a delivery's events in order: received, started, plugin, token, API calls, finished, answered", async () => {
    const events = createDeliveryEvents();
    const seen: DeliveryEvent[] = [];
    events.subscribe((event) => seen.push(event), undefined, { bodies: true });
    const { hookwright } = setup({ dependencies: { events } });
    expect(hookwright.events).toBe(events);
    await hookwright.load((app) => {
      app.on("issues.opened", async (context) => {
        await context.octokit.rest.issues.createComment(context.issue({ body: "hello" }));
      });
    }, "commenter");
    const delivery = issueOpened();
    const result = await hookwright.receiver.receive(delivery.headers, delivery.body);
    expect(result.status).toBe(200);
    const summary = {
      id: delivery.id,
      name: "issues",
      event: "issues.opened",
      action: "opened",
      installation: 1,
      repo: REPO,
    };
    expect(seen).toEqual([
      { type: "received", delivery: summary },
      { type: "started", delivery: summary, attempt: 1 },
      { type: "plugin", id: delivery.id, plugin: "commenter", outcome: "started" },
      { type: "token", installation: 1, cache: "miss" },
      // The token exchange carries no x-github-delivery: it is the running delivery's.
      {
        type: "api-call",
        id: delivery.id,
        call: {
          method: "POST",
          path: "/app/installations/1/access_tokens",
          status: 201,
          seconds: expect.any(Number),
        },
      },
      { type: "token-exchange", installation: 1, outcome: "success" },
      {
        type: "api-call",
        id: delivery.id,
        call: {
          method: "POST",
          path: expect.stringMatching(/^\/repos\/Codertocat\/Hello-World\/issues\/\d+\/comments$/),
          status: 201,
          seconds: expect.any(Number),
          rateLimitRemaining: 4999,
          rateLimitResource: "core",
          // The plugin whose handler made it, and the bodies the console may show.
          plugin: "commenter",
          requestBody: '{"body":"hello"}',
          responseBody: expect.stringContaining('"body":"hello"'),
        },
      },
      { type: "plugin", id: delivery.id, plugin: "commenter", outcome: "completed" },
      {
        type: "finished",
        delivery: summary,
        outcome: "completed",
        seconds: expect.any(Number),
      },
      {
        type: "answered",
        request: expect.objectContaining({
          status: 200,
          answer: { status: "completed" },
          delivery: summary,
        }),
      },
    ]);
  });

  it("emits a failing plugin's failure, and the others' completion", async () => {
    const { hookwright } = setup();
    const seen: DeliveryEvent[] = [];
    hookwright.events.subscribe((event) => seen.push(event), ["plugin", "finished"]);
    await hookwright.load((app) => {
      app.on("issues.opened", async () => {
        throw new Error("broke");
      });
    }, "failing");
    await hookwright.load((app) => app.on("issues.opened", async () => {}), "fine");
    const delivery = issueOpened();
    expect((await hookwright.receiver.receive(delivery.headers, delivery.body)).status).toBe(500);
    const ends = seen.filter((event) => event.type === "plugin" && event.outcome !== "started");
    expect(ends).toEqual(
      expect.arrayContaining([
        { type: "plugin", id: delivery.id, plugin: "failing", outcome: "failed", error: "broke" },
        { type: "plugin", id: delivery.id, plugin: "fine", outcome: "completed" },
      ]),
    );
    expect(seen.at(-1)).toMatchObject({ type: "finished", outcome: "failed", error: "broke" });
  });

  it("refuses a delivery with 503 once closing, without running it", async () => {
    const { hookwright } = setup();
    let ran = false;
    await hookwright.load((app) => app.onAny(async () => void (ran = true)), "spy");
    expect(await hookwright.close(10)).toBe(true);
    const delivery = issueOpened();
    const result = await hookwright.receiver.receive(delivery.headers, delivery.body);
    expect(result.status).toBe(503);
    expect(result.body).toEqual({
      error: { code: "SERVICE_UNAVAILABLE", message: expect.any(String) },
    });
    expect(ran).toBe(false);
  });

  it("close() hands back what outlasts the drain and says so", async () => {
    const { hookwright } = setup({ webhooks: { deadlineMs: 20 } });
    const handler = gate();
    await hookwright.load((app) => app.onAny(() => handler.opened), "stuck");
    const delivery = issueOpened();
    expect((await hookwright.receiver.receive(delivery.headers, delivery.body)).status).toBe(202);
    expect(hookwright.scheduler.inFlight()).toBe(1);
    expect(await hookwright.close(20)).toBe(false);
    expect(hookwright.scheduler.inFlight()).toBe(0);
    handler.open();
  });

  it("runs deliveries through the scheduler it is given", async () => {
    const scheduled: string[] = [];
    const { hookwright } = setup({
      scheduler: (parts) => ({
        async schedule(delivery) {
          scheduled.push(delivery.id);
          await parts.runner.run(delivery, { owner: "custom" });
          return { status: 202, body: { status: "queued" } };
        },
        drain: async () => [],
        inFlight: () => 0,
      }),
    });
    let ran = false;
    await hookwright.load((app) => app.onAny(async () => void (ran = true)), "spy");
    const delivery = issueOpened();
    const result = await hookwright.receiver.receive(delivery.headers, delivery.body);
    expect(result).toMatchObject({ status: 202, body: { status: "queued" } });
    expect(scheduled).toEqual([delivery.id]);
    expect(ran).toBe(true);
  });
});
