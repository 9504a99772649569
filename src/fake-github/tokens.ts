import { randomBytes, randomInt } from "node:crypto";
import { GitHubError, isoSeconds, type RouteResult } from "./http.js";
import { renderRepo } from "./render.js";
import type { FakeState, Installation, Repo } from "./state.js";
import type { IssuedToken, Permissions, TokenFormat } from "./types.js";

const ALPHANUMERIC = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789";
const RANK: Record<string, number> = { read: 1, write: 2, admin: 3 };
export const NOT_ACCESSIBLE = "Resource not accessible by integration";

/** `ghs_` and 36 alphanumerics, the shape of a classic installation token. */
export function generateToken(): string {
  let suffix = "";
  for (let i = 0; i < 36; i++) suffix += ALPHANUMERIC[randomInt(ALPHANUMERIC.length)];
  return `ghs_${suffix}`;
}

const base64url = (value: unknown) => Buffer.from(JSON.stringify(value)).toString("base64url");

// GitHub's stateless installation tokens (2026-04) are `ghs_` and a JWT of about 520
// characters: dots, dashes and underscores inside, so a scrubber or a parser that stops at
// the first `.` leaks most of the token.
const STATELESS_LENGTH = 520;

/** `ghs_` and a signed-looking JWT naming the installation, the shape of a stateless token. */
export function generateStatelessToken(installationId: number, expiresAtMs: number): string {
  const header = base64url({ alg: "RS256", typ: "JWT", kid: randomBytes(8).toString("hex") });
  const claims = base64url({
    iss: "github.com",
    sub: `installation:${installationId}`,
    exp: Math.floor(expiresAtMs / 1000),
    jti: randomBytes(16).toString("hex"),
  });
  const signed = `${header}.${claims}.`;
  const signature = randomBytes(STATELESS_LENGTH)
    .toString("base64url")
    .slice(0, Math.max(86, STATELESS_LENGTH - signed.length));
  return `ghs_${signed}${signature}`;
}

/**
 * The format a token request asks for with `X-GitHub-Stateless-S2S-Token` (`true` or `false`),
 * or undefined when it does not say.
 */
export function requestedTokenFormat(headers: Headers): TokenFormat | undefined {
  const value = headers.get("x-github-stateless-s2s-token")?.trim().toLowerCase();
  if (value === "true" || value === "1") return "stateless";
  if (value === "false" || value === "0") return "classic";
  return undefined;
}

export function grants(permissions: Permissions, name: string, level: string): boolean {
  const held = permissions[name];
  return held !== undefined && (RANK[held] ?? 0) >= (RANK[level] ?? Infinity);
}

/** An issued token that is neither expired by the fake's clock nor revoked. */
export function findActiveToken(state: FakeState, token: string): IssuedToken | undefined {
  const record = state.tokens.find((issued) => issued.token === token);
  if (record === undefined || state.revoked.has(token)) return undefined;
  return state.clock.now() < record.expiresAt ? record : undefined;
}

export function installationRepos(state: FakeState, installation: Installation): Repo[] {
  return installation.repositories.map((fullName) => state.repo(fullName));
}

/** The repositories a token may touch: its scope, or all of its installation's. */
export function tokenRepos(state: FakeState, record: IssuedToken): Repo[] {
  const installation = state.installations.get(record.installationId);
  if (installation === undefined) return [];
  const all = installationRepos(state, installation);
  if (record.repositories === undefined) return all;
  const scoped = new Set(record.repositories.map((name) => name.toLowerCase()));
  return all.filter((repo) => scoped.has(repo.fullName.toLowerCase()));
}

/**
 * A repository the token may use with `permission`, or GitHub's answer: 404 for a repository
 * the installation cannot see, 403 for one outside the token's scope or permissions.
 */
export function requireRepo(
  state: FakeState,
  record: IssuedToken,
  owner: string,
  name: string,
  permission: [name: string, level: string],
): Repo {
  const fullName = `${owner}/${name}`.toLowerCase();
  const installation = state.installations.get(record.installationId);
  const repo =
    installation &&
    installationRepos(state, installation).find(
      (candidate) => candidate.fullName.toLowerCase() === fullName,
    );
  if (repo === undefined) throw new GitHubError(404, "Not Found");
  const inScope = tokenRepos(state, record).some((candidate) => candidate.id === repo.id);
  if (!inScope || !grants(record.permissions, ...permission)) {
    throw new GitHubError(403, NOT_ACCESSIBLE);
  }
  return repo;
}

interface TokenRequest {
  repositories?: unknown;
  repository_ids?: unknown;
  permissions?: unknown;
}

/**
 * POST /app/installations/{id}/access_tokens, with its 422s for out-of-reach scope.
 * https://docs.github.com/en/rest/apps/apps#create-an-installation-access-token-for-an-app
 */
export function createAccessToken(
  state: FakeState,
  installation: Installation,
  body: unknown,
  apiBase: string,
  format: TokenFormat = "classic",
): RouteResult {
  const request: TokenRequest = typeof body === "object" && body !== null ? body : {};
  const available = installationRepos(state, installation);
  const names = stringList(request.repositories, "repositories");
  const ids = numberList(request.repository_ids);
  const chosen = new Map<number, Repo>();
  for (const name of names) {
    const repo = available.find((r) => r.name.toLowerCase() === name.toLowerCase());
    if (repo === undefined) throw notAccessible();
    chosen.set(repo.id, repo);
  }
  for (const id of ids) {
    const repo = available.find((r) => r.id === id);
    if (repo === undefined) throw notAccessible();
    chosen.set(repo.id, repo);
  }
  const permissions = requestedPermissions(installation, request.permissions);
  const scoped = chosen.size > 0 ? [...chosen.values()] : undefined;
  const lifetimeMs = state.tokenLifetimeS * 1000;
  // GitHub's expires_at has whole seconds; keep the record equal to what clients see.
  const expiresAt = Math.floor((state.clock.now() + lifetimeMs) / 1000) * 1000;
  const record: IssuedToken = {
    token:
      format === "stateless" ? generateStatelessToken(installation.id, expiresAt) : generateToken(),
    installationId: installation.id,
    expiresAt,
    permissions,
    ...(scoped && { repositories: scoped.map((repo) => repo.fullName) }),
  };
  state.tokens.push(record);
  return {
    status: 201,
    body: {
      token: record.token,
      expires_at: isoSeconds(record.expiresAt),
      permissions,
      repository_selection: scoped ? "selected" : installation.selection,
      ...(scoped && { repositories: scoped.map((repo) => renderRepo(state, repo, apiBase)) }),
    },
  };
}

function requestedPermissions(installation: Installation, requested: unknown): Permissions {
  if (requested === undefined || requested === null) return { ...installation.permissions };
  if (typeof requested !== "object" || Array.isArray(requested)) throw invalid("permissions");
  const entries = Object.entries(requested);
  for (const [name, level] of entries) {
    if (typeof level !== "string" || !grants(installation.permissions, name, level)) {
      throw new GitHubError(422, "The permissions requested are not granted to this installation.");
    }
  }
  return Object.fromEntries(entries) as Permissions;
}

function notAccessible(): GitHubError {
  return new GitHubError(
    422,
    "There is at least one repository that does not exist or is not accessible to the parent installation.",
  );
}

function invalid(field: string): GitHubError {
  return new GitHubError(422, `Invalid request.\n\nInvalid property /${field}.`);
}

function stringList(value: unknown, field: string): string[] {
  if (value === undefined || value === null) return [];
  if (!Array.isArray(value) || !value.every((item) => typeof item === "string")) {
    throw invalid(field);
  }
  return value;
}

function numberList(value: unknown): number[] {
  if (value === undefined || value === null) return [];
  if (!Array.isArray(value) || !value.every((item) => Number.isInteger(item))) {
    throw invalid("repository_ids");
  }
  return value as number[];
}
