import { describe, expect, it } from "@jest/globals";
import { fakeWithClient, HELLO } from "../../helpers/fake-github-client.js";

const b64 = (text: string) => Buffer.from(text).toString("base64");

async function read(
  octokit: ReturnType<typeof fakeWithClient>["octokit"],
  path: string,
  ref?: string,
) {
  const { data } = await octokit.rest.repos.getContent({ ...HELLO, path, ref });
  return data as { content: string; sha: string };
}

describe("fake GitHub: writing contents", () => {
  it("creates a file (201), updates it with its sha (200), and adds each commit to the history", async () => {
    const { github, octokit } = fakeWithClient();
    const created = await octokit.rest.repos.createOrUpdateFileContents({
      ...HELLO,
      path: "docs/notes.md",
      message: "Add notes",
      content: b64("one"),
    });
    expect(created.status).toBe(201);
    const first = await read(octokit, "docs/notes.md");
    expect(Buffer.from(first.content, "base64").toString()).toBe("one");
    expect(created.data.content?.sha).toBe(first.sha);

    const updated = await octokit.rest.repos.createOrUpdateFileContents({
      ...HELLO,
      path: "docs/notes.md",
      message: "Edit notes",
      content: b64("two"),
      sha: first.sha,
    });
    expect(updated.status).toBe(200);
    expect(github.records.commitsOf("octo/hello").map((commit) => commit.message)).toEqual([
      "Add notes",
      "Edit notes",
    ]);
  });

  it("refuses an update without the current sha (422) or with a stale one (409)", async () => {
    const { github, octokit } = fakeWithClient();
    github.setFile("octo/hello", "a.txt", "current");
    const write = (sha?: string) =>
      octokit.rest.repos.createOrUpdateFileContents({
        ...HELLO,
        path: "a.txt",
        message: "m",
        content: b64("new"),
        sha,
      });
    await expect(write()).rejects.toMatchObject({ status: 422 });
    await expect(write("0".repeat(40))).rejects.toMatchObject({ status: 409 });
  });

  it("writes to another branch without touching the default one, and deletes a file", async () => {
    const { octokit } = fakeWithClient();
    await octokit.rest.repos.createOrUpdateFileContents({
      ...HELLO,
      path: "b.txt",
      message: "m",
      content: b64("on a branch"),
      branch: "feature",
    });
    await expect(read(octokit, "b.txt")).rejects.toMatchObject({ status: 404 });
    const onBranch = await read(octokit, "b.txt", "feature");
    await octokit.rest.repos.deleteFile({
      ...HELLO,
      path: "b.txt",
      message: "rm",
      sha: onBranch.sha,
      branch: "feature",
    });
    await expect(read(octokit, "b.txt", "feature")).rejects.toMatchObject({ status: 404 });
  });
});
