import { HookwrightError } from "../errors.js";
import { DEFAULT_REQUEST_LIMITS, startTimeout, timeoutError } from "../request-limits.js";

/** What GitHub answers for a converted manifest; the credentials are shown only this once. */
export interface RegisteredApp {
  id: number;
  slug: string;
  name: string;
  htmlUrl: string;
  clientId: string;
  clientSecret: string;
  webhookSecret: string;
  pem: string;
}

export interface ConvertOptions {
  apiUrl: string;
  fetch?: typeof fetch;
  /** GITHUB_REQUEST_TIMEOUT_MS; not retried, since the code may be spent by a lost answer. */
  timeoutMs?: number;
}

function field(data: Record<string, unknown>, name: string): string {
  const value = data[name];
  if (typeof value === "string" || typeof value === "number") return String(value);
  throw new HookwrightError("APP_REGISTRATION_FAILED", `GitHub's answer has no ${name}`);
}

/**
 * Exchanges the code GitHub put on the `/setup` redirect for the new app's id, key and
 * secrets. The code works once and for an hour; the call needs no authentication.
 * https://docs.github.com/en/rest/apps/apps#create-a-github-app-from-a-manifest
 */
export async function convertManifestCode(
  code: string,
  options: ConvertOptions,
): Promise<RegisteredApp> {
  const fetcher = options.fetch ?? globalThis.fetch;
  const url = `${options.apiUrl.replace(/\/+$/, "")}/app-manifests/${encodeURIComponent(code)}/conversions`;
  const timeoutMs = options.timeoutMs ?? DEFAULT_REQUEST_LIMITS.timeoutMs;
  const timeout = startTimeout(timeoutMs, () =>
    timeoutError("the app manifest conversion", timeoutMs, 1),
  );
  let response: Response;
  let data: Record<string, unknown>;
  try {
    response = await fetcher(url, {
      method: "POST",
      headers: { accept: "application/vnd.github+json", "user-agent": "hookwright" },
      signal: timeout.signal,
    });
    data = (await response.json().catch(() => ({}))) as Record<string, unknown>;
  } catch (cause) {
    if (timeout.signal.aborted) throw timeout.signal.reason;
    throw new HookwrightError("APP_REGISTRATION_FAILED", "GitHub could not be reached", { cause });
  } finally {
    timeout.clear();
  }
  // A body cut short reads as `{}` above: the timeout, not a malformed answer, is the cause.
  if (timeout.signal.aborted) throw timeout.signal.reason;
  if (response.status !== 201) {
    const message = typeof data.message === "string" ? data.message : `HTTP ${response.status}`;
    throw new HookwrightError(
      "APP_REGISTRATION_FAILED",
      `GitHub refused the manifest code (${response.status}: ${message.slice(0, 200)})`,
      { status: response.status },
    );
  }
  return {
    id: Number(field(data, "id")),
    slug: field(data, "slug"),
    name: field(data, "name"),
    htmlUrl: field(data, "html_url"),
    clientId: field(data, "client_id"),
    clientSecret: field(data, "client_secret"),
    webhookSecret: field(data, "webhook_secret"),
    pem: field(data, "pem"),
  };
}
