import { HookwrightError } from "../errors.js";
import type { AppJwt } from "./create-app-jwt.js";
import type { InstallationToken } from "./token-store.js";

/** What a token may reach; omitted parts mean everything the installation was granted. */
export interface TokenScope {
  /** Repository names (without owner). */
  repositories?: string[];
  repositoryIds?: number[];
  permissions?: Record<string, string>;
}

export interface ExchangeOptions {
  apiUrl: string;
  fetch: typeof fetch;
  jwt: AppJwt;
  userAgent: string;
  sleep: (ms: number) => Promise<void>;
}

const ATTEMPTS = 3;

interface AccessTokenResponse {
  token: string;
  expires_at: string;
  permissions?: Record<string, string>;
  repository_selection?: "all" | "selected";
  repositories?: { name: string }[];
}

function requestBody(scope: TokenScope | undefined): string | undefined {
  if (!scope) return undefined;
  const body: Record<string, unknown> = {};
  if (scope.repositories?.length) body.repositories = scope.repositories;
  if (scope.repositoryIds?.length) body.repository_ids = scope.repositoryIds;
  if (scope.permissions && Object.keys(scope.permissions).length)
    body.permissions = scope.permissions;
  return Object.keys(body).length ? JSON.stringify(body) : undefined;
}

async function githubMessage(response: Response): Promise<string> {
  const data = (await response.json().catch(() => undefined)) as { message?: unknown } | undefined;
  return typeof data?.message === "string" ? data.message : `HTTP ${response.status}`;
}

function toToken(installationId: number, data: AccessTokenResponse): InstallationToken {
  const token: InstallationToken = {
    token: data.token,
    expiresAt: data.expires_at,
    installationId,
    permissions: data.permissions ?? {},
    repositorySelection: data.repository_selection ?? "all",
  };
  if (data.repositories) token.repositories = data.repositories.map((repo) => repo.name);
  return token;
}

/**
 * POST /app/installations/{id}/access_tokens, signed with the app JWT. A 401 whose `Date`
 * shows clock skew is retried once with a re-dated JWT; 5xx and network failures are
 * retried with backoff; anything else becomes a coded error carrying GitHub's message.
 */
export async function exchangeToken(
  options: ExchangeOptions,
  installationId: number,
  scope: TokenScope | undefined,
): Promise<InstallationToken> {
  const url = `${options.apiUrl}/app/installations/${installationId}/access_tokens`;
  const body = requestBody(scope);
  let skewRetried = false;
  let lastFailure: unknown;
  for (let attempt = 0; attempt < ATTEMPTS; attempt++) {
    if (attempt > 0) await options.sleep(200 * 2 ** attempt);
    let response: Response;
    try {
      response = await options.fetch(url, {
        method: "POST",
        headers: {
          accept: "application/vnd.github+json",
          authorization: `Bearer ${options.jwt.get()}`,
          "content-type": "application/json",
          "user-agent": options.userAgent,
          "x-github-api-version": "2022-11-28",
        },
        body,
      });
    } catch (cause) {
      lastFailure = cause;
      continue;
    }
    const skewed = options.jwt.observeServerDate(response.headers.get("date"));
    if (response.status === 201)
      return toToken(installationId, (await response.json()) as AccessTokenResponse);
    if (response.status >= 500) {
      lastFailure = new Error(`HTTP ${response.status}`);
      // An unread body keeps undici's connection busy until garbage collection.
      await response.body?.cancel().catch(() => {});
      continue;
    }
    const message = await githubMessage(response);
    const status = response.status;
    if (status === 401 && skewed && !skewRetried) {
      skewRetried = true;
      attempt--;
      continue;
    }
    if (status === 401) {
      throw new HookwrightError("APP_JWT_REJECTED", `GitHub rejected the app JWT: ${message}`, {
        status,
      });
    }
    if (status === 404) {
      throw new HookwrightError(
        "INSTALLATION_NOT_FOUND",
        `installation ${installationId} not found for this app`,
        {
          status,
        },
      );
    }
    throw new HookwrightError(
      "TOKEN_EXCHANGE_FAILED",
      `token for installation ${installationId}: ${message}`,
      {
        status,
      },
    );
  }
  throw new HookwrightError(
    "GITHUB_UNAVAILABLE",
    `GitHub did not answer the token exchange (${ATTEMPTS} tries)`,
    {
      cause: lastFailure,
    },
  );
}
