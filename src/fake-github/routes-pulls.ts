import { GitHubError, paginate } from "./http.js";
import { renderCommit, renderPull } from "./render-records.js";
import { route, type Route, type RouteContext } from "./router.js";
import { bodyOf, issueNumber, repoFor, stringField } from "./route-helpers.js";
import type { Repo } from "./state.js";
import type { FakeIssue, FakePull } from "./types-records.js";

function findPull(context: RouteContext, repo: Repo): FakeIssue & { pull: FakePull } {
  const issue = context.state.records.issue(repo.fullName, issueNumber(context));
  if (issue?.pull === undefined) throw new GitHubError(404, "Not Found");
  return issue as FakeIssue & { pull: FakePull };
}

/** Seeded pull requests and their commits. https://docs.github.com/en/rest/pulls/pulls */
export const pullRoutes: Route[] = [
  route("GET", "/repos/:owner/:repo/pulls", "token", (context) => {
    const repo = repoFor(context, ["pull_requests", "read"]);
    const query = context.url.searchParams;
    const state = query.get("state") ?? "open";
    const head = query.get("head")?.split(":").pop();
    const base = query.get("base");
    const pulls = context.state.records.issues
      .filter((issue) => issue.pull && issue.repo.toLowerCase() === repo.fullName.toLowerCase())
      .filter((issue) => state === "all" || issue.state === state)
      .filter((issue) => head === undefined || issue.pull?.head === head)
      .filter((issue) => base === null || issue.pull?.base === base)
      .sort((a, b) => b.number - a.number);
    const page = paginate(pulls, context.url);
    const body = page.items.map((issue) => renderPull(context, repo, issue));
    return { status: 200, headers: page.headers, body };
  }),

  route("GET", "/repos/:owner/:repo/pulls/:number", "token", (context) => {
    const repo = repoFor(context, ["pull_requests", "read"]);
    return { status: 200, body: renderPull(context, repo, findPull(context, repo)) };
  }),

  route("PATCH", "/repos/:owner/:repo/pulls/:number", "token", (context) => {
    const repo = repoFor(context, ["pull_requests", "write"]);
    const issue = findPull(context, repo);
    const body = bodyOf(context);
    issue.title = stringField(body, "title", issue.title) ?? issue.title;
    issue.body = stringField(body, "body", issue.body);
    issue.pull.base = stringField(body, "base", issue.pull.base) ?? issue.pull.base;
    const state = stringField(body, "state", issue.state);
    if (state === "open" || state === "closed") issue.state = state;
    issue.updatedAt = context.state.clock.now();
    return { status: 200, body: renderPull(context, repo, issue) };
  }),

  // https://docs.github.com/en/rest/pulls/pulls#list-commits-on-a-pull-request
  route("GET", "/repos/:owner/:repo/pulls/:number/commits", "token", (context) => {
    const repo = repoFor(context, ["pull_requests", "read"]);
    const { pull } = findPull(context, repo);
    const page = paginate(pull.commits, context.url);
    const body = page.items.map((commit) =>
      renderCommit(context, repo.fullName, { ...commit, files: [] }),
    );
    return { status: 200, headers: page.headers, body };
  }),
];
