import { afterEach, describe, expect, it } from "@jest/globals";
import { createTestApp, readFixture, type TestApp } from "hookwright/testing";
import labelCommand from "../../plugins/label-command/index.js";

const REPO = "Codertocat/Hello-World";

function comment(body: string, login: string) {
  return readFixture("issue_comment.created", {
    comment: { body, user: { login, type: "User" } },
    sender: { login, type: "User" },
  });
}

describe("label-command", () => {
  let app: TestApp;
  afterEach(() => app.close());

  async function start() {
    app = await createTestApp(labelCommand, {
      repositories: {
        [REPO]: {
          issues: [{ number: 1, title: "Crash", labels: ["triage"] }],
          collaborators: { maintainer: "write", visitor: "read" },
        },
      },
    });
  }

  it("adds and removes labels for someone with write permission", async () => {
    await start();
    await app.receive(
      "issue_comment.created",
      comment('/label bug "needs review"\n/unlabel triage missing', "maintainer"),
    );
    expect(app.github.issueLabels(REPO, 1)).toEqual(["bug", "needs review"]);
  });

  it("refuses someone with read permission, saying what they lack", async () => {
    await start();
    await app.receive("issue_comment.created", comment("/label bug", "visitor"));
    expect(app.github.issueLabels(REPO, 1)).toEqual(["triage"]);
    app.github.expectCall("POST /repos/{owner}/{repo}/issues/comments/{comment_id}/reactions", {
      content: "-1",
    });
    app.github.expectCall(`POST /repos/${REPO}/issues/1/comments`, {
      body: "@visitor `/label` needs write permission on this repository (you have read).",
    });
  });

  it("lists both commands on /help", async () => {
    await start();
    await app.receive("issue_comment.created", comment("/help", "visitor"));
    app.github.expectCall(`POST /repos/${REPO}/issues/1/comments`, {
      body: /`\/label <labels\.\.\.>`: Add labels.*\n.*`\/unlabel <labels\.\.\.>`: Remove labels/,
    });
  });
});
