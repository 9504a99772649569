import { blobSha } from "./contents.js";
import { GitHubError } from "./http.js";
import { WEB_URL } from "./render.js";
import { route, type Route, type RouteContext } from "./router.js";
import { repoFor, requireFields, stringField } from "./route-helpers.js";
import type { Repo } from "./state.js";

function target(context: RouteContext, repo: Repo, body: Record<string, unknown>) {
  const path = (context.params.path ?? "").replace(/^\/+|\/+$/g, "");
  const branch = stringField(body, "branch", null) ?? context.state.defaultBranch(repo.fullName);
  const files = context.state.files(repo.fullName, branch);
  const current = files.get(path);
  const currentSha = current === undefined ? undefined : blobSha(Buffer.from(current));
  return { path, branch, files, current, currentSha };
}

function committed(
  context: RouteContext,
  repo: Repo,
  branch: string,
  message: string,
  path: string,
) {
  const commit =
    branch === context.state.defaultBranch(repo.fullName)
      ? context.state.records.addCommit(repo.fullName, { message, files: [path] })
      : { sha: blobSha(Buffer.from(`${branch}\0${message}\0${path}`)), message };
  return {
    sha: commit.sha,
    message: commit.message,
    url: `${context.apiBase}/repos/${repo.fullName}/git/commits/${commit.sha}`,
    html_url: `${WEB_URL}/${repo.fullName}/commit/${commit.sha}`,
  };
}

/** Writing and deleting files. https://docs.github.com/en/rest/repos/contents */
export const contentsRoutes: Route[] = [
  route("PUT", "/repos/:owner/:repo/contents/*path", "token", (context) => {
    const repo = repoFor(context, ["contents", "write"]);
    const body = requireFields(context, ["message", "content"]);
    const { path, branch, currentSha } = target(context, repo, body);
    if (path === "") throw new GitHubError(422, 'Invalid request.\n\n"path" wasn\'t supplied.');
    const sha = stringField(body, "sha", null);
    if (currentSha !== undefined && sha === null) {
      throw new GitHubError(422, 'Invalid request.\n\n"sha" wasn\'t supplied.');
    }
    if (currentSha !== undefined && sha !== currentSha) {
      throw new GitHubError(409, `${path} does not match ${sha ?? ""}`);
    }
    const text = Buffer.from(String(body.content), "base64").toString("utf8");
    context.state.setFile(repo.fullName, path, text, branch);
    const name = path.split("/").pop() ?? path;
    return {
      status: currentSha === undefined ? 201 : 200,
      body: {
        content: {
          type: "file",
          name,
          path,
          sha: blobSha(Buffer.from(text)),
          size: Buffer.byteLength(text),
          url: `${context.apiBase}/repos/${repo.fullName}/contents/${path}?ref=${branch}`,
          html_url: `${WEB_URL}/${repo.fullName}/blob/${branch}/${path}`,
        },
        commit: committed(context, repo, branch, String(body.message), path),
      },
    };
  }),

  route("DELETE", "/repos/:owner/:repo/contents/*path", "token", (context) => {
    const repo = repoFor(context, ["contents", "write"]);
    const body = requireFields(context, ["message", "sha"]);
    const { path, branch, files, currentSha } = target(context, repo, body);
    if (currentSha === undefined) throw new GitHubError(404, "Not Found");
    if (body.sha !== currentSha)
      throw new GitHubError(409, `${path} does not match ${String(body.sha)}`);
    files.delete(path);
    return {
      status: 200,
      body: { content: null, commit: committed(context, repo, branch, String(body.message), path) },
    };
  }),
];
