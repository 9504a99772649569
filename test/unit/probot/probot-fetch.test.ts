import { afterAll, describe, expect, it } from "@jest/globals";
import { generateKeyPairSync } from "node:crypto";
import { createManualClock } from "hookwright/testing";
// nock 13 patches only node:http/https, as Probot ≤ 12 apps' tests rely on.
import nock from "nock13";
import { createProbotFetch } from "../../../src/probot/probot-fetch.js";
import { Probot, ProbotOctokit, type ApplicationFunction } from "../../../src/probot/index.js";

afterAll(() => nock.restore());

const TOKENS = "https://api.github.com/app/installations/2/access_tokens";

describe("createProbotFetch", () => {
  it("completes a Probot test's `200 { token }` token answer into GitHub's 201 with expires_at", async () => {
    const clock = createManualClock(Date.parse("2026-01-01T00:00:00Z"));
    const send = createProbotFetch({
      fetch: async () => Response.json({ token: "test" }, { status: 200, headers: { date: "x" } }),
      clock,
    });
    const response = await send(TOKENS, { method: "POST" });
    expect(response.status).toBe(201);
    expect(response.headers.get("date")).toBe("x");
    expect(await response.json()).toEqual({
      token: "test",
      expires_at: "2026-01-01T01:00:00.000Z",
    });
  });

  it("leaves GitHub's own answers, failures and other calls as they are", async () => {
    const real = { token: "t", expires_at: "2026-01-01T00:10:00Z" };
    const answers = [
      Response.json(real, { status: 201 }),
      Response.json({ message: "nope" }, { status: 404 }),
      Response.json({ token: "not a token call" }, { status: 200 }),
    ];
    const send = createProbotFetch({ fetch: async () => answers.shift()! });
    expect(await (await send(TOKENS, { method: "POST" })).json()).toEqual(real);
    expect((await send(TOKENS, { method: "POST" })).status).toBe(404);
    expect((await send("https://api.github.com/zen", { method: "POST" })).status).toBe(200);
  });

  it("looks the global fetch up at each call, so one patched later (nock) is used", async () => {
    const send = createProbotFetch();
    const original = globalThis.fetch;
    globalThis.fetch = async () => new Response("patched");
    try {
      expect(await (await send("https://api.github.com/zen")).text()).toBe("patched");
    } finally {
      globalThis.fetch = original;
    }
  });

  it("without request.fetch, goes through node:http when the global fetch is Node's own (nock 13)", async () => {
    const scope = nock("https://api.github.com").get("/zen").reply(200, "through node:http");
    const response = await createProbotFetch()("https://api.github.com/zen");
    expect(await response.text()).toBe("through node:http");
    expect(scope.isDone()).toBe(true);
  });

  it("lets a Probot test written for nock 13 intercept the token exchange and the API call", async () => {
    const privateKey = generateKeyPairSync("rsa", { modulusLength: 2048 })
      .privateKey.export({ type: "pkcs1", format: "pem" })
      .toString();
    const probot = new Probot({
      appId: 1,
      privateKey,
      Octokit: ProbotOctokit.defaults({ retry: { enabled: false }, throttle: { enabled: false } }),
    });
    const app: ApplicationFunction = (app) => {
      app.on("issues.opened", async (context) => {
        await context.octokit.issues.createComment(context.issue({ body: "Thanks" }));
      });
    };
    await probot.load(app);
    const scope = nock("https://api.github.com")
      .post("/app/installations/2/access_tokens")
      .reply(200, { token: "test" })
      .post("/repos/o/r/issues/1/comments", { body: "Thanks" })
      .matchHeader("authorization", "token test")
      .reply(201, {});
    await probot.receive({
      name: "issues",
      id: "1",
      payload: {
        action: "opened",
        issue: { number: 1 },
        repository: { name: "r", owner: { login: "o" } },
        installation: { id: 2 },
      },
    } as never);
    expect(scope.pendingMocks()).toEqual([]);
  });
});
