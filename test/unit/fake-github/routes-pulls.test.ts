import { describe, expect, it } from "@jest/globals";
import { fakeWithClient, HELLO } from "../../helpers/fake-github-client.js";

const repositories = {
  "octo/hello": {
    pulls: [
      {
        title: "Add docs",
        head: "docs",
        commits: [
          { message: "Start docs", files: ["README.md"] },
          { message: "Finish docs", sha: "a".repeat(40), files: ["docs/a.md"] },
        ],
      },
      { title: "Old", state: "closed" as const, merged: true },
    ],
  },
};

describe("fake GitHub: pull requests", () => {
  it("lists, reads and updates seeded pull requests", async () => {
    const { octokit } = fakeWithClient({ repositories });
    const { data: open } = await octokit.rest.pulls.list(HELLO);
    expect(open.map((pull) => pull.number)).toEqual([1]);
    const { data: pull } = await octokit.rest.pulls.get({ ...HELLO, pull_number: 1 });
    expect(pull).toMatchObject({
      title: "Add docs",
      head: { ref: "docs", sha: "a".repeat(40) },
      base: { ref: "main" },
      commits: 2,
      changed_files: 2,
    });
    await octokit.rest.pulls.update({ ...HELLO, pull_number: 1, title: "Docs" });
    const { data: all } = await octokit.rest.pulls.list({ ...HELLO, state: "all" });
    expect(all.map((each) => [each.title, each.merged_at !== null])).toEqual([
      ["Old", true],
      ["Docs", false],
    ]);
  });

  it("lists a pull request's commits and files, oldest commit first", async () => {
    const { octokit } = fakeWithClient({ repositories });
    const { data: commits } = await octokit.rest.pulls.listCommits({ ...HELLO, pull_number: 1 });
    expect(commits.map((commit) => commit.commit.message)).toEqual(["Start docs", "Finish docs"]);
    const { data: files } = await octokit.rest.pulls.listFiles({ ...HELLO, pull_number: 1 });
    expect(files.map((file) => file.filename)).toEqual(["README.md", "docs/a.md"]);
  });

  it("answers 404 for a number that is an issue or unknown", async () => {
    const { octokit } = fakeWithClient({
      repositories: { "octo/hello": { issues: [{ title: "just an issue" }] } },
    });
    for (const pull_number of [1, 2]) {
      await expect(octokit.rest.pulls.listCommits({ ...HELLO, pull_number })).rejects.toMatchObject(
        {
          status: 404,
        },
      );
    }
  });
});
