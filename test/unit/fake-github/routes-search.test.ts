import { describe, expect, it } from "@jest/globals";
import { parseSearchQuery } from "../../../src/fake-github/routes-search.js";
import { fakeWithClient } from "../../helpers/fake-github-client.js";

function setup() {
  return fakeWithClient({
    repositories: {
      "octo/hello": {
        issues: [
          { title: "Crash on start", body: "stack trace", labels: ["bug"] },
          { title: "Docs typo", state: "closed", labels: ["docs"] },
          { title: "Feature", body: "a crash would be nice", labels: ["needs review"] },
        ],
        pulls: [{ title: "Fix crash", labels: ["bug"] }],
      },
      "octo/other": { issues: [{ title: "Crash elsewhere" }] },
    },
  });
}

describe("fake GitHub: search issues", () => {
  it("splits qualifiers, quoted values and negations from free text", () => {
    expect(parseSearchQuery('repo:o/r -label:"needs review" is:pr Crash')).toEqual({
      terms: ["crash"],
      qualifiers: [
        ["repo", "o/r", false],
        ["label", "needs review", true],
        ["is", "pr", false],
      ],
    });
  });

  it("applies repo:, is:issue/is:pr, state:, label:, in:title and free text", async () => {
    const { octokit } = setup();
    const titles = async (q: string) =>
      (await octokit.rest.search.issuesAndPullRequests({ q })).data.items.map((item) => item.title);
    expect(await titles("repo:octo/hello is:issue crash")).toEqual(["Feature", "Crash on start"]);
    expect(await titles("repo:octo/hello crash in:title")).toEqual(["Fix crash", "Crash on start"]);
    expect(await titles("repo:octo/hello is:pr label:bug")).toEqual(["Fix crash"]);
    expect(await titles("repo:octo/hello state:closed")).toEqual(["Docs typo"]);
    expect(await titles('repo:octo/hello label:"needs review"')).toEqual(["Feature"]);
    expect(await titles("crash -repo:octo/hello")).toEqual(["Crash elsewhere"]);
  });

  it("answers GitHub's wrapped list, paginated", async () => {
    const { octokit } = setup();
    const { data, headers } = await octokit.rest.search.issuesAndPullRequests({
      q: "crash",
      per_page: 2,
    });
    expect(data).toMatchObject({ total_count: 4, incomplete_results: false });
    expect(data.items).toHaveLength(2);
    expect(headers.link).toMatch(
      /^<https:\/\/api\.github\.test\/search\/issues\?.*page=2>; rel="next"/,
    );
    const all = await octokit.paginate(octokit.rest.search.issuesAndPullRequests, {
      q: "crash",
      per_page: 2,
    });
    expect(all).toHaveLength(4);
  });

  it("answers 422 without a query", async () => {
    const { octokit } = setup();
    await expect(octokit.request("GET /search/issues")).rejects.toMatchObject({ status: 422 });
  });
});
