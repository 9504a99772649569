import type { Logger } from "pino";
import type { RequestLimits } from "../request-limits.js";
import type { AppAuth, TokenScope } from "../auth/create-app-auth.js";
import { createAppAuthStrategy, createInstallationAuthStrategy } from "./auth-strategies.js";
import { createClientBuilder, type ClientBuilderOptions } from "./create-client-builder.js";
import type { Octokit } from "./octokit.js";

export interface ClientOptions {
  /** Stamped on every request as `x-github-delivery`, so GitHub support can trace a call to its webhook. */
  deliveryId?: string;
  scope?: TokenScope;
  /** A logger, or a function making one: called only when the client logs. */
  log?: Logger | (() => Logger);
}

/** Builds Octokit clients wired to the auth module: one per installation, or as the app. */
export interface ClientFactory {
  forInstallation(installationId: number, options?: ClientOptions): Octokit;
  forApp(options?: ClientOptions): Octokit;
}

export interface ClientFactoryOptions {
  appAuth: AppAuth;
  logger: Logger;
  fetch?: typeof fetch;
  userAgent?: string;
  /** Multiplier (ms) for retry-after waits and 5xx backoff; tests pass 1. */
  retryBaseMs?: number;
  /** Each request's timeout and retry budget; DEFAULT_REQUEST_LIMITS where not given. */
  requestLimits?: Partial<RequestLimits>;
  /** The client class (see ClientBuilderOptions). */
  Octokit?: ClientBuilderOptions["Octokit"];
  /** Longest rate-limit wait worth retrying after, in seconds. */
  maxRetryAfterS?: number;
}

export function createClientFactory(options: ClientFactoryOptions): ClientFactory {
  const build = createClientBuilder({ ...options, apiUrl: options.appAuth.apiUrl });
  return {
    forInstallation(installationId, { scope, ...client } = {}) {
      const auth = { appAuth: options.appAuth, installationId, scope };
      const authStrategy = createInstallationAuthStrategy;
      return build({ id: String(installationId), authStrategy, auth, ...client });
    },
    forApp({ scope: _scope, ...client } = {}) {
      const auth = { appAuth: options.appAuth };
      return build({ id: "app", authStrategy: createAppAuthStrategy, auth, ...client });
    },
  };
}
