import { describe, expect, it } from "@jest/globals";
import { createServer, type RequestListener } from "node:http";
import request from "supertest";
import { createFakeGitHub, createSignedDelivery, readFixture } from "hookwright/testing";
import { createNodeMiddleware, Probot, type ApplicationFunction } from "hookwright/probot";
import { captureLogs } from "../../helpers/capture-logs.js";
import { testKeys } from "../../helpers/keys.js";

const SECRET = "middleware-secret";

function probot() {
  const keys = testKeys();
  const github = createFakeGitHub({ appId: 7, publicKey: keys.publicKey });
  github.addInstallation({
    id: 3,
    account: { login: "Codertocat" },
    repositories: ["Codertocat/Hello-World"],
  });
  const instance = new Probot({
    appId: 7,
    privateKey: keys.privateKeyPem,
    secret: SECRET,
    request: { fetch: github.fetch as typeof fetch },
    log: captureLogs().logger,
  });
  return { instance, github };
}

const app: ApplicationFunction = (bot, options) => {
  bot.on("issues.opened", (context) =>
    context.octokit.issues.createComment(context.issue({ body: "served" })),
  );
  options.addHandler((req, res) => {
    if (req.url !== "/hello") return false;
    res.end("hi");
    return true;
  });
};

function post(listener: RequestListener, path = "/api/github/webhooks") {
  const payload = readFixture("issues.opened", { installation: { id: 3 } });
  const delivery = createSignedDelivery({ secret: SECRET, event: "issues", payload });
  return request(createServer(listener))
    .post(path)
    .set(delivery.headers)
    .send(delivery.body.toString("utf8"));
}

describe("createNodeMiddleware", () => {
  it("can be awaited (Probot 13+): addHandler routes first, then the webhook path", async () => {
    const { instance, github } = probot();
    const middleware = await createNodeMiddleware(app, { probot: instance });
    const listener: RequestListener = (req, res) => {
      void middleware(req, res, () => res.writeHead(404).end());
    };
    expect((await request(createServer(listener)).get("/hello")).text).toBe("hi");
    expect((await post(listener)).status).toBe(200);
    github.expectCall("POST /repos/{owner}/{repo}/issues/{issue_number}/comments", {
      body: "served",
    });
    expect((await request(createServer(listener)).get("/other")).status).toBe(404);
  });

  it("can be used at once (Probot 11–12), waiting for the app to load", async () => {
    const { instance, github } = probot();
    const middleware = createNodeMiddleware(app, { probot: instance });
    expect((await post((req, res) => void middleware(req, res))).status).toBe(200);
    expect(github.comments).toHaveLength(1);
  });

  it("takes the webhook path from webhooksPath", async () => {
    const { instance } = probot();
    const middleware = await createNodeMiddleware(app, { probot: instance, webhooksPath: "/gh" });
    const listener: RequestListener = (req, res) => {
      void middleware(req, res, () => res.writeHead(404).end());
    };
    expect((await post(listener, "/gh")).status).toBe(200);
    expect((await post(listener)).status).toBe(404);
  });

  it("rejects when awaited if the app function fails", async () => {
    const { instance } = probot();
    const failing: ApplicationFunction = () => {
      throw new Error("cannot load");
    };
    await expect(createNodeMiddleware(failing, { probot: instance })).rejects.toThrow(
      "cannot load",
    );
  });
});
