import { afterEach, describe, expect, it } from "@jest/globals";
import { createTestApp, readFixture, type TestApp } from "hookwright/testing";
import prDescription from "../../plugins/pr-description/index.js";

const REPO = "Codertocat/Hello-World";
const COMMENTS = "POST /repos/{owner}/{repo}/issues/{issue_number}/comments";
const LABELS = "POST /repos/{owner}/{repo}/issues/{issue_number}/labels";

function pull(body: string | null, extra: Record<string, unknown> = {}) {
  return readFixture("pull_request.opened.installation", {
    pull_request: { body, labels: [], draft: false, ...extra },
  });
}

describe("pr-description", () => {
  let app: TestApp;
  afterEach(() => app.close());

  async function start(config?: string) {
    app = await createTestApp(prDescription, {
      repositories: [REPO],
      ...(config !== undefined && { files: { [REPO]: { ".github/pr-description.yml": config } } }),
    });
  }

  it("asks the author for a description and labels a pull request with an empty one", async () => {
    await start();
    await app.receive("pull_request.opened", pull(null));
    app.github.expectCall(`POST /repos/${REPO}/issues/2/comments`, {
      body: /^Thanks for the pull request, @Codertocat! Please add a description/,
    });
    app.github.expectCall(LABELS, { labels: ["needs-description"] });
  });

  it("treats a body holding only the template's comments as empty", async () => {
    await start();
    await app.receive("pull_request.opened", pull("<!-- What does this change? -->\n\n  "));
    app.github.expectCall(COMMENTS);
  });

  it("stays silent for a written description, a draft, or a bot", async () => {
    await start();
    await app.receive("pull_request.opened", pull("Fixes the crash on start."));
    await app.receive("pull_request.opened", pull("", { draft: true }));
    await app.receive("pull_request.opened", {
      ...pull(""),
      sender: { login: "x[bot]", type: "Bot" },
    });
    expect(app.github.writes()).toEqual([]);
  });

  it("does not ask twice when the label is already on", async () => {
    await start();
    await app.receive(
      "pull_request.reopened",
      pull("", { labels: [{ name: "needs-description" }] }),
    );
    expect(app.github.writes()).toEqual([]);
  });

  it("removes the label once the description is written", async () => {
    await start();
    await app.receive("pull_request.opened", pull(""));
    expect(app.github.issueLabels(REPO, 2)).toEqual(["needs-description"]);
    const edited = pull("Now with a description.", { labels: [{ name: "needs-description" }] });
    await app.receive("pull_request.edited", edited);
    app.github.expectCall(`DELETE /repos/${REPO}/issues/2/labels/needs-description`);
    expect(app.github.issueLabels(REPO, 2)).toEqual([]);
  });

  it("follows .github/pr-description.yml: length, wording, no label, drafts", async () => {
    await start(
      "minLength: 20\ncomment: 'Hi {author}, more words please.'\nlabel: ''\nskipDrafts: false\n",
    );
    await app.receive("pull_request.opened", pull("Too short.", { draft: true }));
    app.github.expectCall(COMMENTS, { body: "Hi Codertocat, more words please." });
    expect(app.github.writes()).toHaveLength(1);
  });

  it("fails the delivery naming the key when the file has a wrong value", async () => {
    await start("minLength: lots\n");
    await expect(app.receive("pull_request.opened", pull(""))).rejects.toThrow(
      /\.github\/pr-description\.yml: minLength must be a whole number/,
    );
  });
});
