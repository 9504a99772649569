import { describe, expect, it } from "@jest/globals";
import { shippedRestTableLoaded } from "../../../src/fake-github/rest-table.js";
import { fakeWithClient, HELLO } from "../../helpers/fake-github-client.js";

const many = Object.fromEntries(Array.from({ length: 45 }, (_, i) => [`octo/repo-${i}`, {}]));

describe("fake GitHub: every documented route", () => {
  // First in the file: the table is read once per process, on the first route without a handler.
  it("reads GitHub's description only when a route it keeps no state for is asked", async () => {
    const { octokit } = fakeWithClient();
    await octokit.rest.repos.get(HELLO);
    await octokit.rest.issues.createComment({ ...HELLO, issue_number: 1, body: "hi" });
    expect(shippedRestTableLoaded()).toBe(false);
    await octokit.rest.repos.listBranches(HELLO);
    expect(shippedRestTableLoaded()).toBe(true);
  });

  it("answers a documented route it keeps no state for with GitHub's example, on the client's base URL", async () => {
    const { octokit } = fakeWithClient({ apiUrl: "https://ghe.test/api/v3" });
    const { status, data } = await octokit.rest.repos.listBranches(HELLO);
    expect(status).toBe(200);
    expect(data[0]).toMatchObject({ name: expect.any(String), protected: expect.any(Boolean) });
    expect(JSON.stringify(data)).not.toContain("https://api.github.com");
    expect(data[0]?.commit.url).toMatch(/^https:\/\/ghe\.test\/api\/v3\/repos\//);
  });

  it("answers GitHub's 404 for an undocumented route and 422 for a missing required field", async () => {
    const { octokit } = fakeWithClient();
    await expect(
      octokit.request("GET /repos/{owner}/{repo}/no-such-thing", HELLO),
    ).rejects.toMatchObject({
      status: 404,
      response: { data: { message: "Not Found", documentation_url: expect.any(String) } },
    });
    await expect(
      octokit.request("POST /repos/{owner}/{repo}/hooks/{hook_id}/config", {
        ...HELLO,
        hook_id: 1,
      }),
    ).rejects.toMatchObject({ status: 404 });
    await expect(
      octokit.request("POST /repos/octo/hello/git/blobs", { encoding: "utf-8" }),
    ).rejects.toMatchObject({
      status: 422,
      response: {
        data: { message: 'Invalid request.\n\n"content" wasn\'t supplied.', status: "422" },
      },
    });
  });

  it("answers GitHub's 422 naming a path parameter Octokit was not given", async () => {
    const { octokit } = fakeWithClient();
    const withoutRepo = { owner: "octo", title: "t" } as unknown as Parameters<
      typeof octokit.rest.issues.create
    >[0];
    await expect(octokit.rest.issues.create(withoutRepo)).rejects.toMatchObject({
      status: 422,
      message: expect.stringContaining('"repo" wasn\'t supplied'),
    });
  });

  it("refuses bad credentials on documented routes too", async () => {
    const { github } = fakeWithClient();
    const answer = await github.fetch("http://x/repos/octo/hello/branches", {
      headers: { authorization: "token ghs_not-issued" },
    });
    expect(answer.status).toBe(401);
  });

  it.each(["https://api.github.test", "https://ghe.test/api/v3"])(
    "lets octokit.paginate walk a wrapped list over several pages (%s)",
    async (apiUrl) => {
      const { github, octokit } = fakeWithClient({ apiUrl, repositories: many });
      const repos = await octokit.paginate(octokit.rest.apps.listReposAccessibleToInstallation, {
        per_page: 20,
      });
      expect(repos).toHaveLength(46);
      const pages = github.findCalls("GET /installation/repositories");
      expect(pages.map((call) => call.path)).toEqual([
        "/installation/repositories?per_page=20",
        "/installation/repositories?per_page=20&page=2",
        "/installation/repositories?per_page=20&page=3",
      ]);
    },
  );

  it("answers fetch with the URL asked, as a real fetch does", async () => {
    const { github } = fakeWithClient();
    const answer = await github.fetch("https://api.github.test/nothing?x=1");
    expect(answer.url).toBe("https://api.github.test/nothing?x=1");
  });
});
