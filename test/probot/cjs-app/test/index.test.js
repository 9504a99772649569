// The app's own test, as Probot 9–12's template wrote it: jest in CommonJS mode, nock.
const nock = require("nock");
const fs = require("fs");
const path = require("path");
const { Probot, ProbotOctokit } = require("probot");
const myProbotApp = require("..");
const payload = require("./fixtures/issues.opened.json");

const privateKey = fs.readFileSync(path.join(__dirname, "fixtures/mock-cert.pem"), "utf-8");

describe("My Probot app", () => {
  let probot;

  beforeEach(() => {
    nock.disableNetConnect();
    probot = new Probot({
      appId: 123,
      privateKey,
      // disable request throttling and retries for testing
      Octokit: ProbotOctokit.defaults({ retry: { enabled: false }, throttle: { enabled: false } }),
    });
    probot.load(myProbotApp);
  });

  test("creates a comment when an issue is opened", async () => {
    const mock = nock("https://api.github.com")
      .post("/app/installations/2/access_tokens")
      .reply(200, { token: "test", permissions: { issues: "write" } })
      .post("/repos/hiimbex/testing-things/issues/1/comments", (body) => {
        expect(body).toMatchObject({ body: "Thanks" });
        return true;
      })
      .reply(200);

    await probot.receive({ name: "issues", payload });

    expect(mock.pendingMocks()).toStrictEqual([]);
  });

  test("fails the delivery when GitHub refuses the comment", async () => {
    nock("https://api.github.com")
      .post("/app/installations/2/access_tokens")
      .reply(200, { token: "test" })
      .post("/repos/hiimbex/testing-things/issues/1/comments")
      .reply(403, { message: "Resource not accessible by integration" });

    await expect(probot.receive({ name: "issues", payload })).rejects.toThrow(
      "Resource not accessible by integration",
    );
  });

  afterEach(() => {
    nock.cleanAll();
    nock.enableNetConnect();
  });
});
