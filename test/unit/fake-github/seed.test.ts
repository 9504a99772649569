import { describe, expect, it } from "@jest/globals";
import { fakeWithClient, HELLO } from "../../helpers/fake-github-client.js";

describe("fake GitHub: seeding", () => {
  it("lays files, labels, issues, pulls, commits, releases and topics into a repository", async () => {
    const { github, octokit } = fakeWithClient({
      repositories: {
        "octo/hello": {
          defaultBranch: "trunk",
          description: "hi",
          topics: ["bots"],
          files: { ".github/bot.yml": "greeting: hi" },
          labels: ["bug", { name: "ui", color: "00ff00", description: "Looks" }],
          issues: [
            { title: "first", labels: ["triage"] },
            { number: 7, title: "seventh" },
          ],
          pulls: [{ title: "pull", files: ["a.ts"] }],
          commits: [{ message: "init" }],
          releases: [{ tagName: "v1", prerelease: true }],
        },
      },
    });
    expect(github.records.issues.map((issue) => [issue.number, issue.title])).toEqual([
      [7, "seventh"],
      [1, "first"],
      [2, "pull"],
    ]);
    expect(github.records.labelsOf("Octo/Hello")).toEqual([
      { name: "bug", color: "ededed", description: null },
      { name: "ui", color: "00ff00", description: "Looks" },
      { name: "triage", color: "ededed", description: null },
    ]);
    expect(github.issueLabels("octo/hello", 1)).toEqual(["triage"]);
    expect(github.records.commitsOf("octo/hello")).toEqual([
      {
        sha: expect.stringMatching(/^[0-9a-f]{40}$/),
        message: "init",
        author: "octocat",
        files: [],
      },
    ]);
    expect(github.records.releases).toMatchObject([{ tagName: "v1", targetCommitish: "trunk" }]);
    const { data: repo } = await octokit.rest.repos.get(HELLO);
    expect(repo).toMatchObject({ default_branch: "trunk", description: "hi", topics: ["bots"] });
    const { data: file } = await octokit.rest.repos.getContent({
      ...HELLO,
      path: ".github/bot.yml",
    });
    expect(file).toMatchObject({ path: ".github/bot.yml" });
    const { data: files } = await octokit.rest.pulls.listFiles({ ...HELLO, pull_number: 2 });
    expect(files.map((each) => each.filename)).toEqual(["a.ts"]);
  });

  it("adds to a repository later with seed(), refusing a number seeded twice", () => {
    const { github } = fakeWithClient();
    github.seed("octo/hello", { issues: [{ title: "later" }] });
    expect(github.records.issue("octo/hello", 1)?.title).toBe("later");
    expect(() => github.seed("octo/hello", { issues: [{ number: 1, title: "again" }] })).toThrow(
      /octo\/hello#1 is seeded twice/,
    );
    expect(() => github.seed("not-a-name", {})).toThrow(/not "owner\/name"/);
  });
});
