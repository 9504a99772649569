import { describe, expect, it } from "@jest/globals";
import { fakeWithClient, HELLO } from "../../helpers/fake-github-client.js";

describe("fake GitHub: issue comments", () => {
  it("lists a repository's comments, reads, edits and deletes one", async () => {
    const { github, octokit } = fakeWithClient();
    const { data: first } = await octokit.rest.issues.createComment({
      ...HELLO,
      issue_number: 1,
      body: "first",
    });
    await octokit.rest.issues.createComment({ ...HELLO, issue_number: 2, body: "second" });
    const { data: all } = await octokit.rest.issues.listCommentsForRepo(HELLO);
    expect(all.map((comment) => comment.body)).toEqual(["first", "second"]);

    await octokit.rest.issues.updateComment({ ...HELLO, comment_id: first.id, body: "edited" });
    const { data: read } = await octokit.rest.issues.getComment({ ...HELLO, comment_id: first.id });
    expect(read.body).toBe("edited");
    await octokit.rest.issues.deleteComment({ ...HELLO, comment_id: first.id });
    expect(github.comments.map((comment) => comment.body)).toEqual(["second"]);
    await expect(
      octokit.rest.issues.getComment({ ...HELLO, comment_id: first.id }),
    ).rejects.toMatchObject({ status: 404 });
  });

  it("sends a non-numeric issue segment on to its documented route", async () => {
    const { octokit } = fakeWithClient();
    const { status, data } = await octokit.rest.issues.listEventsForRepo(HELLO);
    expect(status).toBe(200);
    expect(Array.isArray(data)).toBe(true);
  });
});
