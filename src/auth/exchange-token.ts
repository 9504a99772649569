import { HookwrightError, isHookwrightError } from "../errors.js";
import { timeoutError, withTimeout, type RequestLimits } from "../request-limits.js";
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
  /** Epoch ms: how much of the budget is spent. */
  now: () => number;
  limits: RequestLimits;
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

type Attempt =
  | { token: InstallationToken }
  | { retry: unknown }
  /** Refused, maybe for our clock: retried once with a re-dated JWT, else this error. */
  | { skewed401: HookwrightError }
  | { error: HookwrightError };

/** One POST, answer and body read together, so a timeout covers a body that trickles in. */
async function attemptExchange(
  options: ExchangeOptions,
  url: string,
  body: string | undefined,
  installationId: number,
  signal: AbortSignal,
): Promise<Attempt> {
  // A key that cannot sign (read on first use) is not a network failure worth retrying.
  let authorization: string;
  try {
    authorization = `Bearer ${options.jwt.get()}`;
  } catch (cause) {
    const error = isHookwrightError(cause)
      ? cause
      : new HookwrightError("PRIVATE_KEY_INVALID", "the app's private key could not sign a JWT", {
          cause,
        });
    return { error };
  }
  let response: Response;
  try {
    response = await options.fetch(url, {
      method: "POST",
      headers: {
        accept: "application/vnd.github+json",
        authorization,
        "content-type": "application/json",
        "user-agent": options.userAgent,
        "x-github-api-version": "2022-11-28",
      },
      body,
      signal,
    });
  } catch (cause) {
    return { retry: cause };
  }
  const skewed = options.jwt.observeServerDate(response.headers.get("date"));
  if (response.status === 201) {
    return { token: toToken(installationId, (await response.json()) as AccessTokenResponse) };
  }
  if (response.status >= 500) {
    // An unread body keeps undici's connection busy until garbage collection.
    await response.body?.cancel().catch(() => {});
    return { retry: new Error(`HTTP ${response.status}`) };
  }
  const message = await githubMessage(response);
  const status = response.status;
  if (status === 401) {
    const error = new HookwrightError(
      "APP_JWT_REJECTED",
      `GitHub rejected the app JWT: ${message}`,
      {
        status,
      },
    );
    return skewed ? { skewed401: error } : { error };
  }
  if (status === 404) {
    const error = new HookwrightError(
      "INSTALLATION_NOT_FOUND",
      `installation ${installationId} not found for this app`,
      { status },
    );
    return { error };
  }
  const error = new HookwrightError(
    "TOKEN_EXCHANGE_FAILED",
    `token for installation ${installationId}: ${message}`,
    { status },
  );
  return { error };
}

/**
 * POST /app/installations/{id}/access_tokens, signed with the app JWT. A 401 whose `Date`
 * shows clock skew is retried once with a re-dated JWT; 5xx, network failures and attempts
 * over the timeout are retried with backoff while the budget lasts; anything else becomes a
 * coded error carrying GitHub's message.
 */
export async function exchangeToken(
  options: ExchangeOptions,
  installationId: number,
  scope: TokenScope | undefined,
): Promise<InstallationToken> {
  const url = `${options.apiUrl}/app/installations/${installationId}/access_tokens`;
  const body = requestBody(scope);
  const { timeoutMs, budgetMs } = options.limits;
  const started = options.now();
  const left = () => budgetMs - (options.now() - started);
  const what = `the token exchange for installation ${installationId}`;
  let skewRetried = false;
  let lastFailure: unknown;
  let timedOutAfterMs: number | undefined;
  let attempts = 0;
  for (let attempt = 0; attempt < ATTEMPTS; attempt++) {
    if (attempt > 0) {
      const waitMs = 200 * 2 ** attempt;
      if (waitMs >= left()) break;
      await options.sleep(waitMs);
    }
    const attemptMs = Math.min(timeoutMs, left());
    if (attemptMs <= 0) break;
    attempts += 1;
    let outcome: Attempt;
    let expired = false;
    try {
      outcome = await withTimeout(
        attemptMs,
        (signal) => attemptExchange(options, url, body, installationId, signal),
        () => {
          expired = true;
          return timeoutError(what, attemptMs, 1);
        },
      );
    } catch (cause) {
      // A body that is not JSON, or one cut short: what a failing proxy sends.
      outcome = { retry: cause };
    }
    if ("token" in outcome) return outcome.token;
    if ("error" in outcome) throw outcome.error;
    if ("skewed401" in outcome) {
      if (skewRetried) throw outcome.skewed401;
      skewRetried = true;
      attempt--;
      continue;
    }
    timedOutAfterMs = expired ? attemptMs : undefined;
    lastFailure = outcome.retry;
  }
  if (timedOutAfterMs !== undefined) throw timeoutError(what, timedOutAfterMs, attempts);
  throw new HookwrightError(
    "GITHUB_UNAVAILABLE",
    `GitHub did not answer the token exchange (${attempts} tries)`,
    { cause: lastFailure },
  );
}
