import { contentsBody } from "./contents.js";
import { GitHubError, isoSeconds, paginate } from "./http.js";
import { BOT_LOGIN, renderRepo, WEB_URL } from "./render.js";
import { route, type Route, type RouteContext } from "./router.js";
import { issueNumber, repoFor, tokenOf } from "./route-helpers.js";
import { tokenRepos } from "./tokens.js";
import type { FakeComment } from "./types.js";

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

function commentsOf(context: RouteContext, fullName: string): FakeComment[] {
  return context.state.comments.filter((comment) => comment.repo === fullName);
}

function findComment(context: RouteContext, fullName: string): FakeComment {
  const id = Number(context.params.id);
  const comment = commentsOf(context, fullName).find((candidate) => candidate.id === id);
  if (comment === undefined) throw new GitHubError(404, "Not Found");
  return comment;
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

  route("GET", "/repos/:owner/:repo/issues/comments", "token", (context) => {
    const repo = repoFor(context, ["issues", "read"]);
    const page = paginate(commentsOf(context, repo.fullName), context.url);
    const body = page.items.map((comment) => renderComment(context, comment));
    return { status: 200, headers: page.headers, body };
  }),

  route("GET", "/repos/:owner/:repo/issues/comments/:id", "token", (context) => {
    const comment = findComment(context, repoFor(context, ["issues", "read"]).fullName);
    return { status: 200, body: renderComment(context, comment) };
  }),

  route("PATCH", "/repos/:owner/:repo/issues/comments/:id", "token", (context) => {
    const comment = findComment(context, repoFor(context, ["issues", "write"]).fullName);
    const body = (context.body as { body?: unknown } | undefined)?.body;
    if (typeof body !== "string") {
      throw new GitHubError(422, 'Invalid request.\n\n"body" wasn\'t supplied.');
    }
    comment.body = body;
    return { status: 200, body: renderComment(context, comment) };
  }),

  route("DELETE", "/repos/:owner/:repo/issues/comments/:id", "token", (context) => {
    const comment = findComment(context, repoFor(context, ["issues", "write"]).fullName);
    context.state.comments.splice(context.state.comments.indexOf(comment), 1);
    return { status: 204 };
  }),

  route("GET", "/repos/:owner/:repo/contents/*path", "token", (context) => {
    const repo = repoFor(context, ["contents", "read"]);
    const ref = context.url.searchParams.get("ref") ?? context.state.defaultBranch(repo.fullName);
    const files = context.state.files(repo.fullName, ref);
    const body = contentsBody(repo, files, context.params.path ?? "", ref, context.apiBase);
    return { status: 200, body };
  }),
];
