import { afterEach, describe, expect, it } from "@jest/globals";
import { createTestApp, readFixture, type TestApp } from "hookwright/testing";
import greeter from "../../plugins/greeter/index.js";

const COMMENTS = "POST /repos/{owner}/{repo}/issues/{issue_number}/comments";

describe("greeter", () => {
  let app: TestApp;
  afterEach(() => app.close());

  it("thanks the author of a new issue by login, as the installation", async () => {
    app = await createTestApp(greeter);
    const payload = readFixture("issues.opened", { sender: { login: "octo-newcomer" } });
    const { id } = await app.receive("issues.opened", payload);
    const call = app.github.expectCall("POST /repos/Codertocat/Hello-World/issues/1/comments", {
      body: /^Thanks for opening this issue, @octo-newcomer!/,
    });
    expect(call.auth).toMatchObject({ kind: "token", installationId: 1 });
    expect(call.headers["x-github-delivery"]).toBe(id);
  });

  it("thanks the author of a new pull request on the pull request's conversation", async () => {
    app = await createTestApp(greeter);
    await app.receive("pull_request.opened", readFixture("pull_request.opened.installation"));
    app.github.expectCall("POST /repos/Codertocat/Hello-World/issues/2/comments", {
      body: /this pull request, @Codertocat!/,
    });
    expect(app.github.findCalls(COMMENTS)).toHaveLength(1);
  });

  it("stays silent when a bot opened the issue", async () => {
    app = await createTestApp(greeter);
    await app.receive("issues.opened", readFixture("issues.opened", { sender: { type: "Bot" } }));
    expect(app.github.calls).toEqual([]);
  });

  it("ignores other actions", async () => {
    app = await createTestApp(greeter);
    await app.receive("pull_request.closed");
    expect(app.github.calls).toEqual([]);
  });
});
