import { describe, expect, it } from "@jest/globals";
import { fakeWithClient, HELLO } from "../../helpers/fake-github-client.js";

describe("fake GitHub: issues as records", () => {
  it("creates, reads and updates an issue, its labels becoming repository labels", async () => {
    const { github, octokit } = fakeWithClient();
    const { data: created, status } = await octokit.rest.issues.create({
      ...HELLO,
      title: "Crash on start",
      labels: ["bug"],
    });
    expect(status).toBe(201);
    expect(created).toMatchObject({ number: 1, state: "open", title: "Crash on start" });
    expect(created.labels).toEqual([expect.objectContaining({ name: "bug" })]);

    const issue = { ...HELLO, issue_number: created.number };
    await octokit.rest.issues.update({ ...issue, state: "closed", labels: ["wontfix"] });
    const { data: read } = await octokit.rest.issues.get(issue);
    expect(read).toMatchObject({ state: "closed", closed_at: expect.any(String) });
    expect(github.issueLabels("octo/hello", 1)).toEqual(["wontfix"]);
    expect(github.records.labelsOf("octo/hello").map((label) => label.name)).toEqual([
      "bug",
      "wontfix",
    ]);
  });

  it("lists open issues by default, filtered by state and labels, pull requests included", async () => {
    const { octokit } = fakeWithClient({
      repositories: {
        "octo/hello": {
          issues: [
            { title: "one", labels: ["bug"] },
            { title: "two", state: "closed", labels: ["bug"] },
            { title: "three", labels: ["bug", "ui"] },
          ],
          pulls: [{ title: "fix" }],
        },
      },
    });
    const titles = async (params: object) =>
      (await octokit.rest.issues.listForRepo({ ...HELLO, ...params })).data.map((i) => i.title);
    expect(await titles({})).toEqual(["fix", "three", "one"]);
    expect(await titles({ state: "all", labels: "bug" })).toEqual(["three", "two", "one"]);
    expect(await titles({ labels: "bug,ui" })).toEqual(["three"]);
    const { data } = await octokit.rest.issues.listForRepo({ ...HELLO, direction: "asc" });
    expect(data.map((issue) => Boolean(issue.pull_request))).toEqual([false, false, true]);
  });

  it("answers 404 for an issue it does not hold and 422 without a title", async () => {
    const { octokit } = fakeWithClient();
    await expect(octokit.rest.issues.get({ ...HELLO, issue_number: 9 })).rejects.toMatchObject({
      status: 404,
    });
    await expect(
      octokit.request("POST /repos/octo/hello/issues", { body: "no title" }),
    ).rejects.toMatchObject({ status: 422, message: expect.stringContaining('"title"') });
  });

  it("refuses writes to an installation that may only read issues", async () => {
    const { octokit } = fakeWithClient({ permissions: { issues: "read", metadata: "read" } });
    await expect(octokit.rest.issues.create({ ...HELLO, title: "x" })).rejects.toMatchObject({
      status: 403,
    });
  });
});
