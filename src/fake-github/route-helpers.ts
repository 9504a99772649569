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

/** The JSON body as an object (an empty one when there is none). */
export function bodyOf(context: RouteContext): Record<string, unknown> {
  const { body } = context;
  return typeof body === "object" && body !== null && !Array.isArray(body)
    ? (body as Record<string, unknown>)
    : {};
}

/**
 * GitHub's 422 for a body without a required field.
 * https://docs.github.com/en/rest/using-the-rest-api/troubleshooting-the-rest-api#validation-failed
 */
export function requireFields(context: RouteContext, names: string[]): Record<string, unknown> {
  const body = bodyOf(context);
  const missing = names.find((name) => body[name] === undefined || body[name] === null);
  if (missing !== undefined) {
    throw new GitHubError(422, `Invalid request.\n\n"${missing}" wasn't supplied.`);
  }
  return body;
}

/** A string (or null) field of the body, or `fallback` when absent. */
export function stringField(
  body: Record<string, unknown>,
  name: string,
  fallback: string | null,
): string | null {
  const value = body[name];
  if (value === undefined) return fallback;
  if (typeof value !== "string" && value !== null) {
    throw new GitHubError(422, `Invalid request.\n\nInvalid property /${name}: not a string.`);
  }
  return value;
}

/** A list of strings from the body (labels, assignees, names), or undefined when absent. */
export function stringList(body: Record<string, unknown>, name: string): string[] | undefined {
  const value = body[name];
  if (value === undefined) return undefined;
  if (!Array.isArray(value) || !value.every((item) => typeof item === "string")) {
    throw new GitHubError(422, `Invalid request.\n\nInvalid property /${name}.`);
  }
  return value as string[];
}
