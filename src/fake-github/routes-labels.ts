import { GitHubError, paginate } from "./http.js";
import { issueLabelNames, renderLabel } from "./render-records.js";
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
import type { FakeLabel } from "./types-records.js";

function labelNamed(context: RouteContext, repo: Repo): FakeLabel {
  const label = context.state.records.findLabel(repo.fullName, context.params.name ?? "");
  if (label === undefined) throw new GitHubError(404, "Not Found");
  return label;
}

/** Renames a label on every issue that has it, as GitHub does. */
function renameOnIssues(context: RouteContext, repo: Repo, from: string, to: string | null): void {
  const prefix = `${repo.fullName.toLowerCase()}#`;
  for (const [key, names] of context.state.issueLabels) {
    if (!key.startsWith(prefix)) continue;
    const next = names.flatMap((name) =>
      name.toLowerCase() !== from.toLowerCase() ? [name] : to === null ? [] : [to],
    );
    context.state.issueLabels.set(key, next);
  }
}

function issueLabelsBody(context: RouteContext, repo: Repo, number: number): object[] {
  return issueLabelNames(context.state, repo.fullName, number).map((name) =>
    renderLabel(context, repo.fullName, name),
  );
}

/** A repository's labels, and an issue's whole label set. https://docs.github.com/en/rest/issues/labels */
export const labelRoutes: Route[] = [
  route("GET", "/repos/:owner/:repo/labels", "token", (context) => {
    const repo = repoFor(context, ["issues", "read"]);
    const page = paginate(context.state.records.labelsOf(repo.fullName), context.url);
    const body = page.items.map((label) => renderLabel(context, repo.fullName, label.name));
    return { status: 200, headers: page.headers, body };
  }),

  route("POST", "/repos/:owner/:repo/labels", "token", (context) => {
    const repo = repoFor(context, ["issues", "write"]);
    const body = requireFields(context, ["name"]);
    const name = String(body.name);
    if (context.state.records.findLabel(repo.fullName, name) !== undefined) {
      throw new GitHubError(422, "Validation Failed");
    }
    const label = context.state.records.ensureLabel(repo.fullName, name);
    label.color = (stringField(body, "color", label.color) ?? label.color).replace(/^#/, "");
    label.description = stringField(body, "description", null);
    return { status: 201, body: renderLabel(context, repo.fullName, label.name) };
  }),

  route("GET", "/repos/:owner/:repo/labels/:name", "token", (context) => {
    const repo = repoFor(context, ["issues", "read"]);
    return {
      status: 200,
      body: renderLabel(context, repo.fullName, labelNamed(context, repo).name),
    };
  }),

  route("PATCH", "/repos/:owner/:repo/labels/:name", "token", (context) => {
    const repo = repoFor(context, ["issues", "write"]);
    const label = labelNamed(context, repo);
    const body = bodyOf(context);
    const newName = stringField(body, "new_name", label.name) ?? label.name;
    if (newName !== label.name) renameOnIssues(context, repo, label.name, newName);
    label.name = newName;
    label.color = (stringField(body, "color", label.color) ?? label.color).replace(/^#/, "");
    label.description = stringField(body, "description", label.description);
    return { status: 200, body: renderLabel(context, repo.fullName, label.name) };
  }),

  route("DELETE", "/repos/:owner/:repo/labels/:name", "token", (context) => {
    const repo = repoFor(context, ["issues", "write"]);
    const label = labelNamed(context, repo);
    context.state.records.removeLabel(repo.fullName, label.name);
    renameOnIssues(context, repo, label.name, null);
    return { status: 204 };
  }),

  route("GET", "/repos/:owner/:repo/issues/:number/labels", "token", (context) => {
    const repo = repoFor(context, ["issues", "read"]);
    const page = paginate(issueLabelsBody(context, repo, issueNumber(context)), context.url);
    return { status: 200, headers: page.headers, body: page.items };
  }),

  route("PUT", "/repos/:owner/:repo/issues/:number/labels", "token", (context) => {
    const repo = repoFor(context, ["issues", "write"]);
    const number = issueNumber(context);
    const names = Array.isArray(context.body)
      ? stringList({ labels: context.body }, "labels")
      : stringList(bodyOf(context), "labels");
    for (const name of names ?? []) context.state.records.ensureLabel(repo.fullName, name);
    context.state.issueLabels.set(issueKey(repo, number), [...new Set(names ?? [])]);
    return { status: 200, body: issueLabelsBody(context, repo, number) };
  }),

  route("DELETE", "/repos/:owner/:repo/issues/:number/labels", "token", (context) => {
    const repo = repoFor(context, ["issues", "write"]);
    context.state.issueLabels.set(issueKey(repo, issueNumber(context)), []);
    return { status: 204 };
  }),
];
