import { randomBytes } from "node:crypto";
import { readFileSync } from "node:fs";
import { systemClock, type Clock } from "../clock.js";
import { HookwrightError } from "../errors.js";
import { buildManifest, newAppUrl } from "./build-manifest.js";
import { convertManifestCode } from "./convert-manifest-code.js";
import { writeEnvFile } from "./write-env-file.js";

export interface SetupOptions {
  /** GitHub's web host (`GITHUB_URL`), where the new-app page is. */
  webUrl: string;
  /** GitHub's REST API (`GITHUB_API_URL`), which converts the code. */
  apiUrl: string;
  appYmlPath: string;
  envPath: string;
  /** The webhook URL offered when none is given (`WEBHOOK_PROXY_URL`). */
  webhookProxyUrl?: string;
  fetch?: typeof fetch;
  /** GITHUB_REQUEST_TIMEOUT_MS, for the manifest conversion. */
  requestTimeoutMs?: number;
  clock?: Clock;
}

export interface RegistrationStart {
  /** This server's origin, e.g. `http://localhost:3000`; GitHub redirects to its `/setup`. */
  baseUrl: string;
  organization?: string;
  webhookUrl?: string;
}

/** The form the browser posts to GitHub: `manifest` (JSON) to `action`. */
export interface RegistrationForm {
  action: string;
  manifest: string;
}

export interface Registered {
  appId: number;
  name: string;
  htmlUrl: string;
  /** The variables written into `.env` (names only). */
  written: string[];
}

export interface Setup {
  start(input: RegistrationStart): RegistrationForm;
  /** Handles GitHub's redirect to `/setup?code=…&state=…`: converts the code, writes `.env`. */
  finish(code: string, state: string): Promise<Registered>;
}

// GitHub's manifest code lives an hour; a state older than that cannot be finished anyway.
const STATE_TTL_MS = 60 * 60 * 1000;
const MAX_PENDING = 20;
const ORGANIZATION = /^[A-Za-z0-9](?:[A-Za-z0-9-]{0,38})$/;

function httpUrl(text: string | undefined): string | undefined {
  if (!text) return undefined;
  try {
    const url = new URL(text);
    return url.protocol === "http:" || url.protocol === "https:" ? url.href : undefined;
  } catch {
    return undefined;
  }
}

/**
 * Registers a GitHub App from `app.yml` through GitHub's manifest flow. `start` hands the
 * browser a form to post to GitHub with a one-time `state`; `finish` checks that state,
 * exchanges the code and writes the credentials into `.env`.
 */
export function createSetup(options: SetupOptions): Setup {
  const clock = options.clock ?? systemClock;
  const pending = new Map<string, number>();

  return {
    start(input) {
      const webhookUrl = httpUrl(input.webhookUrl) ?? httpUrl(options.webhookProxyUrl);
      if (!webhookUrl) {
        throw new HookwrightError(
          "INVALID_REQUEST",
          "a public webhook URL is needed (a smee.io channel will do; or set WEBHOOK_PROXY_URL)",
        );
      }
      const organization = input.organization?.trim() || undefined;
      if (organization !== undefined && !ORGANIZATION.test(organization)) {
        throw new HookwrightError("INVALID_REQUEST", "the organization name is not valid");
      }
      const redirectUrl = new URL("/setup", input.baseUrl).href;
      const manifest = buildManifest(readFileSync(options.appYmlPath, "utf8"), {
        webhookUrl,
        redirectUrl,
      });
      for (const [state, expires] of pending) if (expires <= clock.now()) pending.delete(state);
      if (pending.size >= MAX_PENDING) pending.delete(pending.keys().next().value!);
      const state = randomBytes(16).toString("hex");
      pending.set(state, clock.now() + STATE_TTL_MS);
      return {
        action: newAppUrl(options.webUrl, state, organization),
        manifest: JSON.stringify(manifest),
      };
    },
    async finish(code, state) {
      const expires = pending.get(state);
      // Only a registration this server started may write its .env.
      if (expires === undefined || expires <= clock.now() || !code) {
        throw new HookwrightError("SETUP_STATE_INVALID");
      }
      pending.delete(state);
      const app = await convertManifestCode(code, {
        apiUrl: options.apiUrl,
        fetch: options.fetch,
        timeoutMs: options.requestTimeoutMs,
      });
      const values = {
        APP_ID: String(app.id),
        PRIVATE_KEY: app.pem,
        WEBHOOK_SECRET: app.webhookSecret,
        GITHUB_CLIENT_ID: app.clientId,
        GITHUB_CLIENT_SECRET: app.clientSecret,
      };
      writeEnvFile(options.envPath, values);
      return { appId: app.id, name: app.name, htmlUrl: app.htmlUrl, written: Object.keys(values) };
    },
  };
}
