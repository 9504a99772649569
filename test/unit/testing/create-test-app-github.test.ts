import { afterEach, describe, expect, it } from "@jest/globals";
import { createTestApp, readFixture, type TestApp } from "hookwright/testing";
import type { App } from "../../../src/index.js";

const REPO = "Codertocat/Hello-World";
const HEAD = "ec26c3e57ca3a959ca5aad62de7213c562f8c821";
const others = Object.fromEntries(
  Array.from({ length: 34 }, (_, i) => [`Codertocat/repo-${i}`, {}]),
);

/**
 * A release helper of the kind real apps are: it reads a pull request's commits, reports
 * through a check run, drafts a release, tends labels, settings and topics, counts open bugs,
 * walks every repository it can reach and asks GraphQL for the viewer.
 */
function releaseBot(report: Record<string, unknown>) {
  return (app: App) => {
    app.on("pull_request.opened", async (context) => {
      const { octokit } = context;
      const { data: commits } = await octokit.rest.pulls.listCommits(context.pullRequest());
      const headSha = commits.at(-1)?.sha ?? "";
      const { data: check } = await octokit.rest.checks.create(
        context.repo({ name: "release-notes", head_sha: headSha, status: "in_progress" as const }),
      );

      const { data: releases } = await octokit.rest.repos.listReleases(context.repo());
      const { data: draft } = await octokit.rest.repos.createRelease(
        context.repo({ tag_name: `v1.${releases.length}.0`, draft: true }),
      );
      const notes = commits.map((commit) => `- ${commit.commit.message}`).join("\n");
      await octokit.rest.repos.updateRelease(context.repo({ release_id: draft.id, body: notes }));

      const { data: bugs } = await octokit.rest.search.issuesAndPullRequests({
        q: `repo:${REPO} is:issue state:open label:bug`,
      });
      report.openBugs = bugs.total_count;

      const existing = await octokit.rest.issues
        .getLabel(context.repo({ name: "release" }))
        .catch((error: { status?: number }) =>
          error.status === 404 ? undefined : Promise.reject(error),
        );
      if (existing === undefined)
        await octokit.rest.issues.createLabel(context.repo({ name: "release" }));
      await octokit.rest.issues.updateLabel(context.repo({ name: "release", color: "0e8a16" }));
      await octokit.rest.issues.deleteLabel(context.repo({ name: "obsolete" }));

      await octokit.rest.repos.update(context.repo({ description: `next: ${draft.tag_name}` }));
      await octokit.rest.repos.replaceAllTopics(context.repo({ names: ["released-by-bot"] }));

      const repos = await octokit.paginate(octokit.rest.apps.listReposAccessibleToInstallation);
      report.reachable = repos.length;

      const viewer = await octokit.graphql<{ viewer: { login: string } }>(
        "query { viewer { login } }",
      );
      report.viewer = viewer.viewer.login;

      await octokit.rest.checks.update(
        context.repo({
          check_run_id: Number(check.id),
          conclusion: "success" as const,
          output: { title: draft.tag_name, summary: notes },
        }),
      );

      report.undocumented = await octokit
        .request("GET /repos/{owner}/{repo}/release-radar", context.repo())
        .catch((error: { status: number }) => error.status);
      report.missingTitle = await octokit
        .request(`POST /repos/${REPO}/issues`, { body: "no title" })
        .catch((error: { status: number; message: string }) => [error.status, error.message]);
      const { status, data: branches } = await octokit.rest.repos.listBranches(context.repo());
      report.branches = [status, branches[0]?.name];
    });
  };
}

describe("createTestApp: a plugin calling the routes real apps call", () => {
  let app: TestApp;
  afterEach(() => app.close());

  it("answers them statefully, with GitHub's documented examples, 404s and 422s, and no stubs", async () => {
    const report: Record<string, unknown> = {};
    app = await createTestApp(releaseBot(report), {
      repositories: {
        [REPO]: {
          labels: ["obsolete"],
          releases: [{ tagName: "v1.0.0" }],
          issues: [
            { title: "Crash", labels: ["bug"] },
            { title: "Old crash", labels: ["bug"], state: "closed" },
          ],
          pulls: [
            {
              number: 2,
              title: "Update the README with new information",
              head: "changes",
              commits: [{ message: "Fix the typo" }, { message: "Explain setup", sha: HEAD }],
            },
          ],
        },
        ...others,
      },
    });
    app.github.graphql(({ query }) => {
      if (!query.includes("viewer")) throw new Error(`unexpected query ${query}`);
      return { viewer: { login: "hookwright-test[bot]" } };
    });

    await app.receive("pull_request.opened", readFixture("pull_request.opened"));

    const { records } = app.github;
    expect(records.checkRuns).toMatchObject([
      { name: "release-notes", headSha: HEAD, status: "completed", conclusion: "success" },
    ]);
    expect(
      records.releases.map((release) => [release.tagName, release.draft, release.body]),
    ).toEqual([
      ["v1.0.0", false, null],
      ["v1.1.0", true, "- Fix the typo\n- Explain setup"],
    ]);
    expect(records.labelsOf(REPO).map((label) => [label.name, label.color])).toEqual([
      ["bug", "ededed"],
      ["release", "0e8a16"],
    ]);
    expect(records.settingsOf(REPO)).toMatchObject({
      description: "next: v1.1.0",
      topics: ["released-by-bot"],
    });
    expect(report).toEqual({
      openBugs: 1,
      reachable: 35,
      viewer: "hookwright-test[bot]",
      undocumented: 404,
      missingTitle: [422, expect.stringContaining('"title" wasn\'t supplied')],
      branches: [200, expect.any(String)],
    });
    expect(app.github.findCalls("GET /installation/repositories")).toHaveLength(2);
    app.github.expectCall("PATCH /repos/{owner}/{repo}/check-runs/{check_run_id}", {
      conclusion: "success" as const,
    });
  });

  it("grants the installation what `permissions` says, so a plugin's missing scope shows", async () => {
    let status: unknown;
    app = await createTestApp(
      (bot: App) =>
        bot.on("pull_request.opened", async (context) => {
          status = await context.octokit.rest.checks
            .create(context.repo({ name: "x", head_sha: HEAD }))
            .then((answer) => answer.status)
            .catch((error: { status: number }) => error.status);
        }),
      { permissions: { metadata: "read", pull_requests: "write" } },
    );
    await app.receive("pull_request.opened", readFixture("pull_request.opened"));
    expect(status).toBe(403);
  });
});
