import { describe, expect, it } from "@jest/globals";
import { fakeWithClient, HELLO } from "../../helpers/fake-github-client.js";

describe("fake GitHub: repository settings, topics and commits", () => {
  it("keeps what PATCH /repos/{owner}/{repo} sets, including the default branch", async () => {
    const { octokit } = fakeWithClient();
    const { data } = await octokit.rest.repos.update({
      ...HELLO,
      description: "Says hello",
      has_issues: false,
      default_branch: "trunk",
      allow_squash_merge: false,
    });
    expect(data).toMatchObject({
      description: "Says hello",
      has_issues: false,
      default_branch: "trunk",
    });
    const { data: read } = await octokit.rest.repos.get(HELLO);
    expect(read).toMatchObject({ description: "Says hello", allow_squash_merge: false });
  });

  it("replaces topics, refusing ones GitHub would not take", async () => {
    const { octokit } = fakeWithClient({
      repositories: { "octo/hello": { topics: ["old"] } },
    });
    expect((await octokit.rest.repos.getAllTopics(HELLO)).data.names).toEqual(["old"]);
    await octokit.rest.repos.replaceAllTopics({ ...HELLO, names: ["github-app", "bot"] });
    expect((await octokit.rest.repos.get(HELLO)).data.topics).toEqual(["github-app", "bot"]);
    await expect(
      octokit.rest.repos.replaceAllTopics({ ...HELLO, names: ["Not Valid"] }),
    ).rejects.toMatchObject({ status: 422 });
  });

  it("refuses settings changes without administration permission", async () => {
    const { octokit } = fakeWithClient({ permissions: { metadata: "read", contents: "read" } });
    await expect(octokit.rest.repos.update({ ...HELLO, description: "x" })).rejects.toMatchObject({
      status: 403,
    });
  });

  it("lists the seeded history newest first and reads a commit by sha or branch", async () => {
    const { octokit } = fakeWithClient({
      repositories: {
        "octo/hello": {
          commits: [{ message: "first" }, { message: "second", sha: "b".repeat(40) }],
        },
      },
    });
    const { data } = await octokit.rest.repos.listCommits(HELLO);
    expect(data.map((commit) => commit.commit.message)).toEqual(["second", "first"]);
    const { data: tip } = await octokit.rest.repos.getCommit({ ...HELLO, ref: "main" });
    expect(tip.sha).toBe("b".repeat(40));
    const { data: short } = await octokit.rest.repos.getCommit({ ...HELLO, ref: "bbbbbbb" });
    expect(short.commit.message).toBe("second");
  });
});
