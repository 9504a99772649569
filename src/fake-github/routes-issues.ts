import { GitHubError, paginate } from "./http.js";
import { renderLabel } from "./render-records.js";
import { route, type Route, type RouteContext } from "./router.js";
import { issueKey, issueNumber, repoFor, tokenOf } from "./route-helpers.js";
import type { Repo } from "./state.js";

function renderLabels(context: RouteContext, repo: Repo, names: string[]): object[] {
  return names.map((name) => renderLabel(context, repo.fullName, name));
}

/** Labels on issues and pull requests, and the files a pull request changes. */
export const issueRoutes: Route[] = [
  route("POST", "/repos/:owner/:repo/issues/:number/labels", "token", (context) => {
    const repo = repoFor(context, ["issues", "write"]);
    const number = issueNumber(context);
    const raw = Array.isArray(context.body)
      ? context.body
      : (context.body as { labels?: unknown } | undefined)?.labels;
    if (!Array.isArray(raw) || !raw.every((label) => typeof label === "string")) {
      throw new GitHubError(422, "Invalid request.\n\nInvalid property /labels.");
    }
    const { state } = context;
    const key = issueKey(repo, number);
    const current = state.issueLabels.get(key) ?? [];
    const merged = [...current, ...raw.filter((label) => !current.includes(label))];
    for (const name of raw) state.records.ensureLabel(repo.fullName, name);
    state.issueLabels.set(key, merged);
    state.labels.push({
      repo: repo.fullName,
      issueNumber: number,
      labels: [...raw],
      installationId: tokenOf(context).installationId,
    });
    return { status: 200, body: renderLabels(context, repo, merged) };
  }),

  // https://docs.github.com/en/rest/issues/labels#remove-a-label-from-an-issue
  route("DELETE", "/repos/:owner/:repo/issues/:number/labels/:name", "token", (context) => {
    const repo = repoFor(context, ["issues", "write"]);
    const key = issueKey(repo, issueNumber(context));
    const current = context.state.issueLabels.get(key) ?? [];
    const name = context.params.name ?? "";
    if (!current.includes(name)) throw new GitHubError(404, "Label does not exist");
    const remaining = current.filter((label) => label !== name);
    context.state.issueLabels.set(key, remaining);
    return { status: 200, body: renderLabels(context, repo, remaining) };
  }),

  // https://docs.github.com/en/rest/pulls/pulls#list-pull-requests-files
  route("GET", "/repos/:owner/:repo/pulls/:number/files", "token", (context) => {
    const repo = repoFor(context, ["pull_requests", "read"]);
    const paths = context.state.pullFiles.get(issueKey(repo, issueNumber(context))) ?? [];
    const page = paginate(paths, context.url);
    const body = page.items.map((filename) => ({
      sha: "0000000000000000000000000000000000000000",
      filename,
      status: "modified",
      additions: 1,
      deletions: 0,
      changes: 1,
    }));
    return { status: 200, headers: page.headers, body };
  }),
];
