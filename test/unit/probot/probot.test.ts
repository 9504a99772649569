import { describe, expect, it } from "@jest/globals";
import { createSignedDelivery, readFixture } from "hookwright/testing";
import { Probot, ProbotOctokit, type ProbotOptions } from "hookwright/probot";
import request from "supertest";
import { createServer } from "node:http";
import { captureLogs } from "../../helpers/capture-logs.js";
import { probotOnFakeGitHub } from "./probot-on-fake.js";

// Probot's class, member by member, against the fake GitHub (Probot's `request.fetch`).
const COMMENTS = "POST /repos/{owner}/{repo}/issues/{issue_number}/comments";

function setup(options: ProbotOptions = {}) {
  return probotOnFakeGitHub({
    Octokit: ProbotOctokit.defaults({ retry: { enabled: false } }),
    ...options,
  });
}

const issueOpened = () => ({
  name: "issues",
  id: "d-1",
  payload: readFixture("issues.opened", { installation: { id: 3 } }),
});

describe("Probot", () => {
  it("requires appId and privateKey unless given githubToken, in Probot's words", () => {
    expect(() => new Probot({})).toThrow("appId option is required");
    expect(() => new Probot({ appId: 1 })).toThrow("privateKey option is required");
    expect(() => new Probot({ githubToken: "ghs_x" })).not.toThrow();
    // repository-settings/app's tests pass a placeholder key beside the token.
    expect(() => new Probot({ appId: 1, privateKey: "test", githubToken: "test" })).not.toThrow();
  });

  it("receive() runs the handlers on() registered, with an installation client", async () => {
    const { probot, github } = setup();
    const seen: string[] = [];
    probot.on("issues.opened", async (context) => {
      seen.push(`${context.name}:${context.id}`);
      await context.octokit.issues.createComment(context.issue({ body: "hi" }));
    });
    probot.onAny(async (context) => void seen.push(`any:${context.name}`));
    await probot.receive(issueOpened());
    expect(seen.sort()).toEqual(["any:issues", "issues:d-1"]);
    github.expectCall(COMMENTS, { body: "hi" });
  });

  it("receive() rejects with the handlers' failure, after onError saw it", async () => {
    const { probot } = setup();
    const errors: unknown[] = [];
    probot.on("issues", () => {
      throw new Error("boom");
    });
    probot.onError((error) => void errors.push(error.event.id));
    await expect(probot.receive(issueOpened())).rejects.toThrow("boom");
    expect(errors).toEqual(["d-1"]);
  });

  it("load() calls app functions (one or a list) with the instance; a path is refused", async () => {
    const { probot } = setup();
    const got: unknown[] = [];
    await probot.load([(app: unknown) => void got.push(app), (app: unknown) => void got.push(app)]);
    expect(got).toEqual([probot, probot]);
    await expect(probot.load("./index.js")).rejects.toMatchObject({
      code: "PROBOT_API_UNSUPPORTED",
    });
  });

  it("auth() gives an installation client, or with no id one authenticated as the app", async () => {
    const { probot, github } = setup();
    const asApp = await probot.auth();
    const { data } = await asApp.rest.apps.getAuthenticated();
    expect(data).toMatchObject({ id: 7 });
    const installation = await probot.auth(3);
    await installation.rest.issues.createComment({
      owner: "Codertocat",
      repo: "Hello-World",
      issue_number: 1,
      body: "x",
    });
    expect(github.comments).toHaveLength(1);
  });

  it("log is callable and is a pino logger; logger is its Probot 10 name", () => {
    const { probot, logs } = setup();
    probot.log("called");
    probot.log.warn("warned");
    probot.logger.info("old name");
    expect(logs.records().map((record) => record.msg)).toEqual(["called", "warned", "old name"]);
    expect(logs.records()[0]).toMatchObject({ level: 30 });
  });

  it("webhooks (and Probot 10's webhook) register and receive; its other members refuse", async () => {
    const { probot } = setup();
    const seen: string[] = [];
    probot.webhooks.on("issues.opened", () => void seen.push("webhooks"));
    probot.webhook.onAny(() => void seen.push("webhook"));
    await probot.webhooks.receive(issueOpened());
    expect(seen.sort()).toEqual(["webhook", "webhooks"]);
    expect(() => probot.webhooks.verifyAndReceive()).toThrow(/POST to the webhook path/);
    expect(() => probot.webhooks.sign()).toThrow(/createSignedDelivery/);
  });

  it("has version, static version, ready(), webhookPath and options", async () => {
    const { probot } = setup({ webhookPath: "/hooks" });
    expect(probot.version).toBe("14.0.0");
    expect(Probot.version).toBe("14.0.0");
    await expect(probot.ready()).resolves.toBe(probot);
    expect(probot.webhookPath).toBe("/hooks");
    expect(probot.options).toMatchObject({ appId: 7, webhookPath: "/hooks" });
    expect(setup().probot.webhookPath).toBe("/api/github/webhooks");
  });

  it("accepts Probot's server and logging options without effect", async () => {
    const { probot, github } = setup({
      redisConfig: "redis://127.0.0.1:1",
      port: 1,
      host: "127.0.0.1",
      logFormat: "json",
      logLevelInString: true,
      logMessageKey: "message",
      sentryDsn: "https://key@sentry.invalid/1",
      server: {},
    });
    probot.on("issues.opened", (context) =>
      context.octokit.issues.createComment(context.issue({ body: "still works" })),
    );
    await probot.receive(issueOpened());
    github.expectCall(COMMENTS, { body: "still works" });
  });

  it("defaults() makes a subclass whose options default to the given ones", () => {
    const { keys } = setup();
    const WithDefaults = Probot.defaults({ appId: 9, privateKey: keys.privateKeyPem });
    const probot = new WithDefaults({ webhookPath: "/x" });
    expect(probot).toBeInstanceOf(Probot);
    expect(probot.options).toMatchObject({ appId: 9, webhookPath: "/x" });
  });

  it("getNodeMiddleware() serves signed deliveries under `secret`, and refuses bad signatures", async () => {
    const { probot, github } = setup({ secret: "s3cret-for-tests" });
    probot.on("issues.opened", (context) =>
      context.octokit.issues.createComment(context.issue({ body: "via http" })),
    );
    const middleware = await probot.getNodeMiddleware();
    const server = createServer((req, res) => {
      void middleware(req, res, () => res.writeHead(404).end("next"));
    });
    const payload = readFixture("issues.opened", { installation: { id: 3 } });
    const good = createSignedDelivery({ secret: "s3cret-for-tests", event: "issues", payload });
    const ok = await request(server)
      .post("/api/github/webhooks")
      .set(good.headers)
      .send(good.body.toString("utf8"));
    expect(ok.status).toBe(200);
    github.expectCall(COMMENTS, { body: "via http" });
    const bad = createSignedDelivery({ secret: "another-secret-x", event: "issues", payload });
    const refused = await request(server)
      .post("/api/github/webhooks")
      .set(bad.headers)
      .send(bad.body.toString("utf8"));
    expect(refused.status).toBe(401);
    expect((await request(server).get("/elsewhere")).text).toBe("next");
  });

  it("route() mounts an Express router that getNodeMiddleware() serves", async () => {
    const { probot } = setup();
    probot.route("/my-app").get("/status", (_req, res) => void res.json({ ok: true }));
    const middleware = await probot.getNodeMiddleware();
    const server = createServer((req, res) => void middleware(req, res));
    const answer = await request(server).get("/my-app/status");
    expect(answer.body).toEqual({ ok: true });
  });

  it("retries a 5xx unless its Octokit turned retries off", async () => {
    for (const [Octokit, outcome] of [
      [ProbotOctokit.defaults({ retry: { enabled: false } }), "fails"],
      [ProbotOctokit, "succeeds"],
    ] as const) {
      const { probot, github } = setup({ Octokit });
      probot.on("issues.opened", (context) =>
        context.octokit.issues.createComment(context.issue({ body: "again" })),
      );
      github.failNext({ path: /comments/ }, { status: 502, body: { message: "bad gateway" } });
      const received = probot.receive(issueOpened());
      if (outcome === "fails") await expect(received).rejects.toThrow("bad gateway");
      else await expect(received).resolves.toBeUndefined();
    }
  });

  it("with githubToken, every call carries that token", async () => {
    const { probot: asApp, github } = setup();
    const { token } = (await (await asApp.auth(3)).auth()) as { token: string };
    const probot = new Probot({
      githubToken: token,
      request: { fetch: github.fetch as typeof fetch },
      log: captureLogs().logger,
    });
    probot.on("issues.opened", (context) =>
      context.octokit.issues.createComment(context.issue({ body: "token" })),
    );
    await probot.receive(issueOpened());
    expect(github.comments).toEqual([expect.objectContaining({ body: "token" })]);
  });

  it("refuses Probot ≤ 10's server members, naming what to use", () => {
    const { probot } = setup();
    for (const call of [
      () => probot.start(),
      () => probot.stop(),
      () => probot.setup(),
      () => probot.server,
      () => probot.httpServer,
      () => probot.throttleOptions,
      () => probot.errorHandler(),
      () => Probot.run(),
    ]) {
      expect(call).toThrow(expect.objectContaining({ code: "PROBOT_API_UNSUPPORTED" }));
    }
    expect(() => probot.start()).toThrow(/npx hookwright run/);
  });
});
