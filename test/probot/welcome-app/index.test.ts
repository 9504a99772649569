// The app's own test, as a Probot app's test is written (nock intercepting api.github.com);
// the only change from Probot is where "probot" resolves: jest maps it to hookwright/probot.
import { afterEach, beforeEach, describe, expect, test } from "@jest/globals";
import { generateKeyPairSync } from "node:crypto";
import { createRequire } from "node:module";
import nock from "nock";
import { Probot, ProbotOctokit } from "probot";

const require = createRequire(import.meta.url);
const welcomeApp = require("./index.cjs");

const privateKey = generateKeyPairSync("rsa", { modulusLength: 2048 })
  .privateKey.export({ type: "pkcs1", format: "pem" })
  .toString();

const payload = {
  action: "opened",
  issue: { number: 1, title: "Bug", user: { login: "hiimbex" } },
  repository: {
    id: 1,
    name: "testing-things",
    full_name: "hiimbex/testing-things",
    owner: { login: "hiimbex" },
  },
  sender: { login: "hiimbex", type: "User" },
  installation: { id: 2 },
};

describe("welcome app", () => {
  let probot: Probot;

  beforeEach(() => {
    nock.disableNetConnect();
    nock.enableNetConnect(/^(127\.0\.0\.1|localhost)(:\d+)?$/);
    probot = new Probot({
      appId: 123,
      privateKey,
      // disable request throttling and retries for testing
      Octokit: ProbotOctokit.defaults({ retry: { enabled: false }, throttle: { enabled: false } }),
    });
    probot.load(welcomeApp);
  });

  afterEach(() => {
    nock.cleanAll();
    nock.enableNetConnect();
  });

  test("comments and labels when an issue is opened", async () => {
    const mock = nock("https://api.github.com")
      .post("/app/installations/2/access_tokens")
      .reply(200, { token: "test", permissions: { issues: "write" } })
      .get("/repos/hiimbex/testing-things/contents/.github%2Fwelcome.yml")
      .reply(200, "message: Welcome aboard!\nlabels: [new]\n")
      .post("/repos/hiimbex/testing-things/issues/1/comments", (body) => {
        expect(body).toMatchObject({ body: "Welcome aboard!" });
        return true;
      })
      .reply(200)
      .post("/repos/hiimbex/testing-things/issues/1/labels", (body) => {
        expect(body).toMatchObject({ labels: ["triage", "new"] });
        return true;
      })
      .reply(200);

    await probot.receive({ name: "issues", id: "1", payload });

    expect(mock.pendingMocks()).toStrictEqual([]);
  });

  test("falls back to the defaults without a config file, here or in the .github repository", async () => {
    const mock = nock("https://api.github.com")
      .post("/app/installations/2/access_tokens")
      .reply(200, { token: "test" })
      .get("/repos/hiimbex/testing-things/contents/.github%2Fwelcome.yml")
      .reply(404)
      .get("/repos/hiimbex/.github/contents/.github%2Fwelcome.yml")
      .reply(404)
      .post("/repos/hiimbex/testing-things/issues/1/comments", {
        body: "Thanks for opening this issue!",
      })
      .reply(201)
      .post("/repos/hiimbex/testing-things/issues/1/labels", { labels: ["triage"] })
      .reply(200);

    await probot.receive({ name: "issues", id: "2", payload });

    expect(mock.pendingMocks()).toStrictEqual([]);
  });

  test("labels open issues on a schedule.repository event sent with receive", async () => {
    const mock = nock("https://api.github.com")
      .post("/app/installations/2/access_tokens")
      .reply(200, { token: "test" })
      .get("/repos/hiimbex/testing-things/issues")
      .query({ state: "open" })
      .reply(200, [{ number: 7 }])
      .post("/repos/hiimbex/testing-things/issues/7/labels", { labels: ["stale"] })
      .reply(200);

    await probot.receive({
      name: "schedule",
      payload: { action: "repository", installation: { id: 2 }, repository: payload.repository },
    } as never);

    expect(mock.pendingMocks()).toStrictEqual([]);
  });

  test("rejects with the handler's error when GitHub refuses, without retrying", async () => {
    const mock = nock("https://api.github.com")
      .post("/app/installations/2/access_tokens")
      .reply(200, { token: "test" })
      .get("/repos/hiimbex/testing-things/contents/.github%2Fwelcome.yml")
      .reply(500, { message: "Server Error" });

    await expect(probot.receive({ name: "issues", id: "3", payload })).rejects.toThrow();

    expect(mock.pendingMocks()).toStrictEqual([]);
  });
});
