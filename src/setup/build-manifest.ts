import { parse } from "yaml";
import { HookwrightError } from "../errors.js";

export interface ManifestOptions {
  /** Where GitHub should send webhooks: a public URL or a smee channel. */
  webhookUrl: string;
  /** Where GitHub sends the browser back with `?code=`: this server's `/setup`. */
  redirectUrl: string;
}

// The manifest parameters GitHub reads; anything else in app.yml is left out.
// https://docs.github.com/en/apps/sharing-github-apps/registering-a-github-app-from-a-manifest#github-app-manifest-parameters
const KEPT = [
  "name",
  "description",
  "url",
  "public",
  "default_events",
  "default_permissions",
  "callback_urls",
  "setup_url",
  "setup_on_update",
  "request_oauth_on_install",
  "hook_attributes",
];

/**
 * The GitHub App manifest for `app.yml`'s text: its events and permissions, this server's
 * webhook URL and a redirect back to `/setup`.
 *
 * @example
 * buildManifest(readFileSync("app.yml", "utf8"), {
 *   webhookUrl: "https://smee.io/abc", redirectUrl: "http://localhost:3000/setup" });
 */
export function buildManifest(appYml: string, options: ManifestOptions): Record<string, unknown> {
  let parsed: unknown;
  try {
    parsed = parse(appYml);
  } catch (cause) {
    throw new HookwrightError("APP_REGISTRATION_FAILED", "app.yml is not valid YAML", { cause });
  }
  if (parsed === null || typeof parsed !== "object" || Array.isArray(parsed)) {
    throw new HookwrightError("APP_REGISTRATION_FAILED", "app.yml must be a mapping");
  }
  const source = parsed as Record<string, unknown>;
  const manifest: Record<string, unknown> = {};
  for (const key of KEPT) if (source[key] !== undefined) manifest[key] = source[key];
  const hook = typeof source.hook_attributes === "object" ? source.hook_attributes : {};
  manifest.hook_attributes = { ...hook, url: options.webhookUrl };
  manifest.redirect_url = options.redirectUrl;
  // GitHub requires a homepage; fall back to this server.
  if (typeof manifest.url !== "string") manifest.url = new URL(options.redirectUrl).origin;
  return manifest;
}

/** GitHub's "new app from manifest" page, for a user account or an organization. */
export function newAppUrl(webUrl: string, state: string, organization?: string): string {
  const base = webUrl.replace(/\/+$/, "");
  const path = organization
    ? `/organizations/${encodeURIComponent(organization)}/settings/apps/new`
    : "/settings/apps/new";
  return `${base}${path}?state=${encodeURIComponent(state)}`;
}
