import { describe, expect, it } from "@jest/globals";
import { fakeWithClient, HELLO } from "../../helpers/fake-github-client.js";

describe("fake GitHub: repository labels", () => {
  it("creates, reads, renames and deletes a label, following it onto issues", async () => {
    const { github, octokit } = fakeWithClient({
      repositories: { "octo/hello": { issues: [{ title: "a", labels: ["triage"] }] } },
    });
    const { data: created, status } = await octokit.rest.issues.createLabel({
      ...HELLO,
      name: "bug",
      color: "#d73a4a",
      description: "Something is broken",
    });
    expect(status).toBe(201);
    expect(created).toMatchObject({
      name: "bug",
      color: "d73a4a",
      description: "Something is broken",
    });
    const { data: read } = await octokit.rest.issues.getLabel({ ...HELLO, name: "BUG" });
    expect(read.id).toBe(created.id);

    await octokit.rest.issues.updateLabel({ ...HELLO, name: "triage", new_name: "needs triage" });
    expect(github.issueLabels("octo/hello", 1)).toEqual(["needs triage"]);
    const { status: deleted } = await octokit.rest.issues.deleteLabel({
      ...HELLO,
      name: "needs triage",
    });
    expect(deleted).toBe(204);
    expect(github.issueLabels("octo/hello", 1)).toEqual([]);
    const { data: all } = await octokit.rest.issues.listLabelsForRepo(HELLO);
    expect(all.map((label) => label.name)).toEqual(["bug"]);
  });

  it("answers 404 for an unknown label and 422 for a duplicate", async () => {
    const { octokit } = fakeWithClient({ repositories: { "octo/hello": { labels: ["bug"] } } });
    await expect(octokit.rest.issues.getLabel({ ...HELLO, name: "nope" })).rejects.toMatchObject({
      status: 404,
    });
    await expect(octokit.rest.issues.createLabel({ ...HELLO, name: "Bug" })).rejects.toMatchObject({
      status: 422,
    });
  });

  it("lists, replaces and clears an issue's labels", async () => {
    const { github, octokit } = fakeWithClient();
    const issue = { ...HELLO, issue_number: 5 };
    await octokit.rest.issues.setLabels({ ...issue, labels: ["a", "b"] });
    const { data } = await octokit.rest.issues.listLabelsOnIssue(issue);
    expect(data.map((label) => label.name)).toEqual(["a", "b"]);
    await octokit.rest.issues.removeAllLabels(issue);
    expect(github.issueLabels("octo/hello", 5)).toEqual([]);
  });
});
