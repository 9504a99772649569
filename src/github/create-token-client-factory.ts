import type { Logger } from "pino";
import type { RequestLimits } from "../request-limits.js";
import { HookwrightError } from "../errors.js";
import type { ClientFactory, ClientOptions } from "./create-client-factory.js";
import { APP_ROUTE } from "./auth-strategies.js";
import { createClientBuilder, type ClientBuilderOptions } from "./create-client-builder.js";
import type { Octokit } from "./octokit.js";

export interface TokenClientFactoryOptions {
  /** A token GitHub issued elsewhere: a workflow's GITHUB_TOKEN, or any installation or user token. */
  token: string;
  apiUrl: string;
  logger: Logger;
  fetch?: typeof fetch;
  userAgent?: string;
  /** Multiplier (ms) for retry-after waits and 5xx backoff; tests pass 1. */
  retryBaseMs?: number;
  /** Each request's timeout and retry budget; DEFAULT_REQUEST_LIMITS where not given. */
  requestLimits?: Partial<RequestLimits>;
  /** The client class (see ClientBuilderOptions). */
  Octokit?: ClientBuilderOptions["Octokit"];
}

function credentialsRequired(what: string): HookwrightError {
  return new HookwrightError(
    "APP_CREDENTIALS_REQUIRED",
    `${what} needs the app's own credentials (APP_ID and PRIVATE_KEY); only GITHUB_TOKEN is set`,
  );
}

/**
 * Clients that all carry one fixed token: what `hookwright receive` uses inside a GitHub
 * Actions job, where the workflow's GITHUB_TOKEN is the only credential. There is no app JWT
 * in this mode, so app-only routes and narrowed tokens fail with APP_CREDENTIALS_REQUIRED;
 * `forApp` still gives a client (with the token), because the router asks for it whenever a
 * payload has no installation, which is every payload an Actions job receives.
 */
export function createTokenClientFactory(options: TokenClientFactoryOptions): ClientFactory {
  const basePath = new URL(options.apiUrl).pathname.replace(/\/$/, "");
  const buildClient = createClientBuilder(options);

  function build({ deliveryId, log }: ClientOptions): Octokit {
    const octokit = buildClient({ id: "github-token", auth: options.token, deliveryId, log });
    octokit.hook.before("request", (request) => {
      const url = String(request.url);
      const path = /^https?:/.test(url) ? new URL(url).pathname.slice(basePath.length) : url;
      if (APP_ROUTE.test(path.split("?")[0]!)) {
        throw credentialsRequired(`${request.method} ${path}`);
      }
    });
    return octokit;
  }

  return {
    forInstallation(_installationId, clientOptions = {}) {
      const scope = clientOptions.scope;
      if (scope?.repositories?.length || scope?.repositoryIds?.length || scope?.permissions) {
        // Ignoring the narrowing would hand a handler more access than it asked for.
        throw credentialsRequired("a token narrowed to some repositories or permissions");
      }
      return build(clientOptions);
    },
    forApp: (clientOptions = {}) => build(clientOptions),
  };
}
