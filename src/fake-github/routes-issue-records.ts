import { GitHubError, paginate } from "./http.js";
import { DEFAULT_USER } from "./records.js";
import { issueLabelNames, renderIssue } from "./render-records.js";
import { BOT_LOGIN } from "./render.js";
import { route, type Route, type RouteContext } from "./router.js";
import {
  bodyOf,
  issueKey,
  issueNumber,
  repoFor,
  requireFields,
  stringField,
  stringList,
} from "./route-helpers.js";
import type { Repo } from "./state.js";
import type { FakeIssue } from "./types-records.js";

function findIssue(context: RouteContext, repo: Repo): FakeIssue {
  const issue = context.state.records.issue(repo.fullName, issueNumber(context));
  if (issue === undefined) throw new GitHubError(404, "Not Found");
  return issue;
}

function setLabels(context: RouteContext, repo: Repo, number: number, names: string[]): void {
  for (const name of names) context.state.records.ensureLabel(repo.fullName, name);
  context.state.issueLabels.set(issueKey(repo, number), [...new Set(names)]);
}

/** Applies the fields GitHub lets `POST`/`PATCH …/issues` set. */
function applyFields(context: RouteContext, repo: Repo, issue: FakeIssue): void {
  const body = bodyOf(context);
  issue.title = stringField(body, "title", issue.title) ?? issue.title;
  issue.body = stringField(body, "body", issue.body);
  const state = stringField(body, "state", issue.state);
  if (state !== "open" && state !== "closed") {
    throw new GitHubError(422, "Invalid request.\n\nInvalid property /state.");
  }
  const now = context.state.clock.now();
  if (state !== issue.state) issue.closedAt = state === "closed" ? now : null;
  issue.state = state;
  issue.assignees = stringList(body, "assignees") ?? issue.assignees;
  const labels = stringList(body, "labels");
  if (labels !== undefined) setLabels(context, repo, issue.number, labels);
  issue.updatedAt = now;
}

/** `?state=` (open by default), `?labels=a,b` (every one), `?creator=`, newest first. */
function listed(context: RouteContext, repo: Repo): FakeIssue[] {
  const query = context.url.searchParams;
  const state = query.get("state") ?? "open";
  const labels = (query.get("labels") ?? "").split(",").filter(Boolean);
  const creator = query.get("creator");
  const ascending = query.get("direction") === "asc";
  return context.state.records.issues
    .filter((issue) => issue.repo.toLowerCase() === repo.fullName.toLowerCase())
    .filter((issue) => state === "all" || issue.state === state)
    .filter((issue) => creator === null || issue.user.toLowerCase() === creator.toLowerCase())
    .filter((issue) => {
      const has = issueLabelNames(context.state, issue.repo, issue.number).map((name) =>
        name.toLowerCase(),
      );
      return labels.every((label) => has.includes(label.toLowerCase()));
    })
    .sort((a, b) => (ascending ? a.number - b.number : b.number - a.number));
}

/** Issues as records: list, create, read, update. https://docs.github.com/en/rest/issues/issues */
export const issueRecordRoutes: Route[] = [
  route("GET", "/repos/:owner/:repo/issues", "token", (context) => {
    const repo = repoFor(context, ["issues", "read"]);
    const page = paginate(listed(context, repo), context.url);
    return {
      status: 200,
      headers: page.headers,
      body: page.items.map((i) => renderIssue(context, i)),
    };
  }),

  route("POST", "/repos/:owner/:repo/issues", "token", (context) => {
    const repo = repoFor(context, ["issues", "write"]);
    const body = requireFields(context, ["title"]);
    const now = context.state.clock.now();
    const issue: FakeIssue = {
      repo: repo.fullName,
      number: context.state.records.nextNumber(repo.fullName),
      title: String(body.title),
      body: null,
      state: "open",
      user: context.token ? BOT_LOGIN : DEFAULT_USER,
      assignees: [],
      createdAt: now,
      updatedAt: now,
      closedAt: null,
    };
    applyFields(context, repo, issue);
    context.state.records.issues.push(issue);
    return { status: 201, body: renderIssue(context, issue) };
  }),

  route("GET", "/repos/:owner/:repo/issues/:number", "token", (context) => {
    const repo = repoFor(context, ["issues", "read"]);
    return { status: 200, body: renderIssue(context, findIssue(context, repo)) };
  }),

  route("PATCH", "/repos/:owner/:repo/issues/:number", "token", (context) => {
    const repo = repoFor(context, ["issues", "write"]);
    const issue = findIssue(context, repo);
    applyFields(context, repo, issue);
    return { status: 200, body: renderIssue(context, issue) };
  }),
];
