import { contentsBody } from "./contents.js";
import { GitHubError, isoSeconds, paginate } from "./http.js";
import { BOT_LOGIN, renderRepo, WEB_URL } from "./render.js";
import { route, type Route, type RouteContext } from "./router.js";
import { DEFAULT_BRANCH, type Repo } from "./state.js";
import { requireRepo, tokenRepos } from "./tokens.js";
import type { FakeComment, IssuedToken } from "./types.js";

function tokenOf(context: RouteContext): IssuedToken {
  if (context.token === undefined) throw new GitHubError(401, "Bad credentials");
  return context.token;
}

function repoFor(context: RouteContext, permission: [string, string]): Repo {
  const { owner = "", repo = "" } = context.params;
  return requireRepo(context.state, tokenOf(context), owner, repo, permission);
}

function issueNumber(context: RouteContext): number {
  const number = Number(context.params.number);
  if (!Number.isInteger(number) || number <= 0) throw new GitHubError(404, "Not Found");
  return number;
}

function renderComment(context: RouteContext, comment: FakeComment): object {
  const { state, apiBase } = context;
  const issueUrl = `${apiBase}/repos/${comment.repo}/issues/${comment.issueNumber}`;
  return {
    id: comment.id,
    node_id: Buffer.from(`012:IssueComment${comment.id}`).toString("base64"),
    url: `${apiBase}/repos/${comment.repo}/issues/comments/${comment.id}`,
    html_url: `${WEB_URL}/${comment.repo}/issues/${comment.issueNumber}#issuecomment-${comment.id}`,
    issue_url: issueUrl,
    body: comment.body,
    user: { login: BOT_LOGIN, id: state.id("account", BOT_LOGIN), type: "Bot" },
    author_association: "NONE",
    created_at: isoSeconds(comment.createdAt),
    updated_at: isoSeconds(comment.createdAt),
  };
}

/** The endpoints an installation token reaches. */
export const repoRoutes: Route[] = [
  route("GET", "/installation/repositories", "token", (context) => {
    const token = tokenOf(context);
    const installation = context.state.installations.get(token.installationId);
    const repos = tokenRepos(context.state, token);
    const page = paginate(repos, context.url);
    return {
      status: 200,
      headers: page.headers,
      body: {
        total_count: repos.length,
        repository_selection: token.repositories ? "selected" : installation?.selection,
        repositories: page.items.map((repo) => renderRepo(context.state, repo, context.apiBase)),
      },
    };
  }),

  route("DELETE", "/installation/token", "token", (context) => {
    context.state.revoked.add(tokenOf(context).token);
    return { status: 204 };
  }),

  route("GET", "/repos/:owner/:repo", "token", (context) => ({
    status: 200,
    body: renderRepo(context.state, repoFor(context, ["metadata", "read"]), context.apiBase),
  })),

  route("POST", "/repos/:owner/:repo/issues/:number/comments", "token", (context) => {
    const repo = repoFor(context, ["issues", "write"]);
    const body = (context.body as { body?: unknown } | undefined)?.body;
    if (typeof body !== "string") {
      throw new GitHubError(422, 'Invalid request.\n\n"body" wasn\'t supplied.');
    }
    const comment: FakeComment = {
      id: context.state.id("comment", `${context.state.comments.length}`),
      repo: repo.fullName,
      issueNumber: issueNumber(context),
      body,
      installationId: tokenOf(context).installationId,
      createdAt: context.state.clock.now(),
    };
    context.state.comments.push(comment);
    return { status: 201, body: renderComment(context, comment) };
  }),

  route("GET", "/repos/:owner/:repo/issues/:number/comments", "token", (context) => {
    const repo = repoFor(context, ["issues", "read"]);
    const number = issueNumber(context);
    const all = context.state.comments.filter(
      (comment) => comment.repo === repo.fullName && comment.issueNumber === number,
    );
    const page = paginate(all, context.url);
    return {
      status: 200,
      headers: page.headers,
      body: page.items.map((comment) => renderComment(context, comment)),
    };
  }),

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
    const key = `${repo.fullName.toLowerCase()}#${number}`;
    const current = state.issueLabels.get(key) ?? [];
    const merged = [...current, ...raw.filter((label) => !current.includes(label))];
    state.issueLabels.set(key, merged);
    state.labels.push({
      repo: repo.fullName,
      issueNumber: number,
      labels: [...raw],
      installationId: tokenOf(context).installationId,
    });
    const body = merged.map((name) => ({
      id: state.id("label", `${repo.fullName}:${name}`),
      name,
      color: "ededed",
      default: false,
      url: `${context.apiBase}/repos/${repo.fullName}/labels/${encodeURIComponent(name)}`,
    }));
    return { status: 200, body };
  }),

  route("GET", "/repos/:owner/:repo/contents/*path", "token", (context) => {
    const repo = repoFor(context, ["contents", "read"]);
    const ref = context.url.searchParams.get("ref") ?? DEFAULT_BRANCH;
    const files = context.state.files(repo.fullName, ref);
    const body = contentsBody(repo, files, context.params.path ?? "", ref, context.apiBase);
    return { status: 200, body };
  }),
];
