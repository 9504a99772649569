import { GitHubError, paginate } from "./http.js";
import { issueLabelNames, renderIssue } from "./render-records.js";
import { route, type Route } from "./router.js";
import { tokenOf } from "./route-helpers.js";
import type { FakeState } from "./state.js";
import { tokenRepos } from "./tokens.js";
import type { FakeIssue } from "./types-records.js";

interface Query {
  terms: string[];
  qualifiers: [name: string, value: string, negated: boolean][];
}

/** Splits `repo:o/r is:pr label:"needs review" crash` into qualifiers and free text. */
export function parseSearchQuery(q: string): Query {
  const query: Query = { terms: [], qualifiers: [] };
  for (const match of q.matchAll(/(-?)(?:([a-z_]+):)?(?:"([^"]*)"|(\S+))/gi)) {
    const [, negated = "", name, quoted, bare] = match;
    const value = quoted ?? bare ?? "";
    if (name === undefined) query.terms.push(value.toLowerCase());
    else query.qualifiers.push([name.toLowerCase(), value, negated === "-"]);
  }
  return query;
}

function qualifies(state: FakeState, issue: FakeIssue, name: string, value: string): boolean {
  const lower = value.toLowerCase();
  switch (name) {
    case "repo":
      return issue.repo.toLowerCase() === lower;
    case "org":
    case "user":
      return issue.repo.split("/")[0]?.toLowerCase() === lower;
    case "is":
    case "type":
      if (lower === "issue") return issue.pull === undefined;
      if (lower === "pr" || lower === "pull-request") return issue.pull !== undefined;
      if (lower === "open" || lower === "closed") return issue.state === lower;
      if (lower === "merged") return issue.pull?.merged === true;
      return lower === "draft" ? issue.pull?.draft === true : false;
    case "state":
      return issue.state === lower;
    case "label":
      return issueLabelNames(state, issue.repo, issue.number).some((label) =>
        lower.split(",").includes(label.toLowerCase()),
      );
    case "author":
      return issue.user.toLowerCase() === lower;
    case "assignee":
      return issue.assignees.some((login) => login.toLowerCase() === lower);
    case "no":
      return lower === "label" && issueLabelNames(state, issue.repo, issue.number).length === 0;
    default:
      return true;
  }
}

/** Whether `issue` fits the query: every qualifier, and every word in `in:` fields (title and body by default). */
export function matchesSearch(state: FakeState, issue: FakeIssue, query: Query): boolean {
  const fields = query.qualifiers.filter(([name]) => name === "in").map(([, value]) => value);
  const within = fields.length > 0 ? fields.join(",").toLowerCase().split(",") : ["title", "body"];
  const text = [
    within.includes("title") ? issue.title : "",
    within.includes("body") ? (issue.body ?? "") : "",
  ]
    .join("\n")
    .toLowerCase();
  return (
    query.terms.every((term) => text.includes(term)) &&
    query.qualifiers.every(
      ([name, value, negated]) => name === "in" || qualifies(state, issue, name, value) !== negated,
    )
  );
}

/** Searches the fake's own issues and pull requests, in the repositories the token reaches. */
export const searchRoutes: Route[] = [
  // https://docs.github.com/en/rest/search/search#search-issues-and-pull-requests
  route("GET", "/search/issues", "token", (context) => {
    const q = context.url.searchParams.get("q");
    if (q === null || q.trim() === "") {
      throw new GitHubError(422, "Validation Failed");
    }
    const reachable = new Set(
      tokenRepos(context.state, tokenOf(context)).map((repo) => repo.fullName.toLowerCase()),
    );
    const query = parseSearchQuery(q);
    const ascending = context.url.searchParams.get("order") === "asc";
    const hits = context.state.records.issues
      .filter((issue) => reachable.has(issue.repo.toLowerCase()))
      .filter((issue) => matchesSearch(context.state, issue, query))
      .sort((a, b) => (ascending ? 1 : -1) * (a.createdAt - b.createdAt || a.number - b.number));
    const page = paginate(hits, context.url);
    return {
      status: 200,
      headers: page.headers,
      body: {
        total_count: hits.length,
        incomplete_results: false,
        items: page.items.map((issue) => ({ ...renderIssue(context, issue), score: 1 })),
      },
    };
  }),
];
