import { createHash } from "node:crypto";
import { GitHubError } from "./http.js";
import { WEB_URL } from "./render.js";
import type { Repo } from "./state.js";

/** The blob sha git (and so GitHub) gives this content. */
export function blobSha(content: Buffer): string {
  return createHash("sha1").update(`blob ${content.length}\0`).update(content).digest("hex");
}

function describe(repo: Repo, path: string, ref: string, apiBase: string, type: string): object {
  const name = path.split("/").pop() ?? path;
  return {
    type,
    name,
    path,
    url: `${apiBase}/repos/${repo.fullName}/contents/${path}?ref=${ref}`,
    html_url: `${WEB_URL}/${repo.fullName}/${type === "dir" ? "tree" : "blob"}/${ref}/${path}`,
  };
}

/**
 * GET /repos/{owner}/{repo}/contents/{path}: a file with base64 content (wrapped at 60
 * columns as GitHub does), a directory listing, or 404.
 * https://docs.github.com/en/rest/repos/contents#get-repository-content
 */
export function contentsBody(
  repo: Repo,
  files: Map<string, string>,
  rawPath: string,
  ref: string,
  apiBase: string,
): object {
  const path = rawPath.replace(/^\/+|\/+$/g, "");
  const file = files.get(path);
  if (file !== undefined) {
    const bytes = Buffer.from(file, "utf8");
    return {
      ...describe(repo, path, ref, apiBase, "file"),
      encoding: "base64",
      size: bytes.length,
      content: `${bytes.toString("base64").replace(/(.{60})/g, "$1\n")}\n`,
      sha: blobSha(bytes),
      download_url: `https://raw.githubusercontent.com/${repo.fullName}/${ref}/${path}`,
    };
  }
  const prefix = path === "" ? "" : `${path}/`;
  const children = new Map<string, object>();
  for (const [candidate, content] of files) {
    if (!candidate.startsWith(prefix)) continue;
    const [child = "", ...rest] = candidate.slice(prefix.length).split("/");
    const childPath = `${prefix}${child}`;
    const type = rest.length > 0 ? "dir" : "file";
    const entry = describe(repo, childPath, ref, apiBase, type);
    const sha = type === "file" ? { sha: blobSha(Buffer.from(content)) } : {};
    children.set(childPath, { ...entry, ...sha });
  }
  if (children.size === 0) throw new GitHubError(404, "Not Found");
  return [...children.values()];
}
