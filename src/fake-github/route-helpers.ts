import { GitHubError } from "./http.js";
import type { RouteContext } from "./router.js";
import type { Repo } from "./state.js";
import { requireRepo } from "./tokens.js";
import type { IssuedToken } from "./types.js";

export function tokenOf(context: RouteContext): IssuedToken {
  if (context.token === undefined) throw new GitHubError(401, "Bad credentials");
  return context.token;
}

export function repoFor(context: RouteContext, permission: [string, string]): Repo {
  const { owner = "", repo = "" } = context.params;
  return requireRepo(context.state, tokenOf(context), owner, repo, permission);
}

export function issueNumber(context: RouteContext): number {
  const number = Number(context.params.number);
  if (!Number.isInteger(number) || number <= 0) throw new GitHubError(404, "Not Found");
  return number;
}

/** The key of an issue or pull request in the fake's per-issue maps. */
export function issueKey(repo: Repo, number: number): string {
  return `${repo.fullName.toLowerCase()}#${number}`;
}
