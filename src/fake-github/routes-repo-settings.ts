import { GitHubError, paginate } from "./http.js";
import { renderCommit } from "./render-records.js";
import { renderRepo } from "./render.js";
import { route, type Route, type RouteContext } from "./router.js";
import { bodyOf, repoFor, requireFields, stringField, stringList } from "./route-helpers.js";
import type { FakeRepoSettings } from "./types-records.js";

// https://docs.github.com/en/rest/repos/repos#replace-all-repository-topics
const TOPIC = /^[a-z0-9][a-z0-9-]{0,49}$/;

function applySettings(context: RouteContext, settings: FakeRepoSettings): string | undefined {
  const body = bodyOf(context);
  const {
    description,
    homepage,
    private: isPrivate,
    archived,
    has_issues,
    default_branch,
    ...rest
  } = body;
  settings.description = stringField({ description }, "description", settings.description);
  settings.homepage = stringField({ homepage }, "homepage", settings.homepage);
  if (typeof isPrivate === "boolean") settings.private = isPrivate;
  if (typeof archived === "boolean") settings.archived = archived;
  if (typeof has_issues === "boolean") settings.hasIssues = has_issues;
  Object.assign(settings.extra, rest);
  return typeof default_branch === "string" ? default_branch : undefined;
}

/** Repository settings, topics and the default branch's history. */
export const repoSettingsRoutes: Route[] = [
  // https://docs.github.com/en/rest/repos/repos#update-a-repository
  route("PATCH", "/repos/:owner/:repo", "token", (context) => {
    const repo = repoFor(context, ["administration", "write"]);
    const branch = applySettings(context, context.state.records.settingsOf(repo.fullName));
    if (branch !== undefined) context.state.setDefaultBranch(repo.fullName, branch);
    return { status: 200, body: renderRepo(context.state, repo, context.apiBase) };
  }),

  route("GET", "/repos/:owner/:repo/topics", "token", (context) => {
    const repo = repoFor(context, ["metadata", "read"]);
    return { status: 200, body: { names: context.state.records.settingsOf(repo.fullName).topics } };
  }),

  route("PUT", "/repos/:owner/:repo/topics", "token", (context) => {
    const repo = repoFor(context, ["administration", "write"]);
    const names = stringList(requireFields(context, ["names"]), "names") ?? [];
    const invalid = names.find((name) => !TOPIC.test(name));
    if (invalid !== undefined) {
      throw new GitHubError(422, `Invalid request.\n\n"${invalid}" is not a valid topic.`);
    }
    const settings = context.state.records.settingsOf(repo.fullName);
    settings.topics = [...new Set(names)];
    return { status: 200, body: { names: settings.topics } };
  }),

  // https://docs.github.com/en/rest/commits/commits#list-commits
  route("GET", "/repos/:owner/:repo/commits", "token", (context) => {
    const repo = repoFor(context, ["contents", "read"]);
    const newestFirst = [...context.state.records.commitsOf(repo.fullName)].reverse();
    const page = paginate(newestFirst, context.url);
    const body = page.items.map((commit) => renderCommit(context, repo.fullName, commit));
    return { status: 200, headers: page.headers, body };
  }),

  route("GET", "/repos/:owner/:repo/commits/:ref", "token", (context) => {
    const repo = repoFor(context, ["contents", "read"]);
    const commits = context.state.records.commitsOf(repo.fullName);
    const ref = context.params.ref ?? "";
    const commit =
      ref === context.state.defaultBranch(repo.fullName)
        ? commits.at(-1)
        : commits.find((candidate) => candidate.sha.startsWith(ref) && ref.length >= 7);
    if (commit === undefined) throw new GitHubError(422, `No commit found for SHA: ${ref}`);
    return { status: 200, body: renderCommit(context, repo.fullName, commit) };
  }),
];
