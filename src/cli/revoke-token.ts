import { HookwrightError } from "../errors.js";

export type RevokeOutcome = "revoked" | "already-invalid";

/**
 * `DELETE /installation/token` with the token itself. GitHub answers 401 for one that has
 * expired or was revoked already: that token is as dead as asked, so it is not a failure.
 * https://docs.github.com/en/rest/apps/installations#revoke-an-installation-access-token
 */
export async function revokeToken(
  token: string,
  apiUrl: string,
  fetchImpl: typeof fetch,
  timeoutMs: number,
): Promise<RevokeOutcome> {
  let response: Response;
  try {
    response = await fetchImpl(`${apiUrl.replace(/\/+$/, "")}/installation/token`, {
      method: "DELETE",
      headers: {
        authorization: `token ${token}`,
        accept: "application/vnd.github+json",
        "user-agent": "hookwright",
      },
      signal: AbortSignal.timeout(timeoutMs),
    });
  } catch (cause) {
    throw new HookwrightError(
      "GITHUB_UNAVAILABLE",
      "GitHub could not be reached to revoke the token",
      {
        cause,
      },
    );
  }
  await response.body?.cancel();
  if (response.status === 204) return "revoked";
  if (response.status === 401) return "already-invalid";
  throw new HookwrightError(
    "GITHUB_UNAVAILABLE",
    `GitHub answered ${response.status} to revoking the token`,
  );
}

/** A token as `token` prints it (its JSON), or bare, from standard input. */
export function tokenFromInput(text: string): string | undefined {
  const trimmed = text.trim();
  if (trimmed === "") return undefined;
  if (trimmed.startsWith("{")) {
    try {
      const token = (JSON.parse(trimmed) as { token?: unknown }).token;
      return typeof token === "string" ? token : undefined;
    } catch {
      return undefined;
    }
  }
  return /^\S+$/.test(trimmed) ? trimmed : undefined;
}
