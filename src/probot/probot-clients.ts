import type { Logger } from "pino";
import { createAppAuth } from "../auth/create-app-auth.js";
import { readPrivateKey } from "../config/read-private-key.js";
import { unsupported } from "../app/probot-members.js";
import { createClientFactory, type ClientFactory } from "../github/create-client-factory.js";
import { createTokenClientFactory } from "../github/create-token-client-factory.js";
import { createProbotFetch } from "./probot-fetch.js";
import { isProbotOctokit, ProbotOctokit } from "./probot-octokit.js";
import type { ProbotOptions } from "./probot.js";

/** Set by `Application` (Probot ≤ 10), which could be made without credentials. */
export const NO_CREDENTIALS = Symbol("no credentials");
export type WithoutCredentials = { [NO_CREDENTIALS]?: true };

function noCredentials(): ClientFactory {
  const refuse = () => {
    throw unsupported(
      "a GitHub client from an Application made without credentials",
      "pass { appId, privateKey } or { githubToken }, or replace app.auth in the test",
    );
  };
  return { forInstallation: refuse, forApp: refuse };
}

/** The clients a `Probot` hands out: as the app (JWT, installation tokens), or with `githubToken`. */
export function createProbotClients(
  options: ProbotOptions & WithoutCredentials,
  logger: Logger,
): { clients: ClientFactory; invalidate?: (installationId: number) => Promise<void> } {
  const apiUrl = (options.baseUrl ?? "https://api.github.com").replace(/\/+$/, "");
  const fetch = createProbotFetch({ fetch: options.request?.fetch });
  // An app's own class is built the same way: what it makes of the options is its own.
  const Octokit = (options.Octokit ?? ProbotOctokit) as typeof ProbotOctokit;
  if (options.githubToken) {
    const clients = createTokenClientFactory({
      token: options.githubToken,
      apiUrl,
      logger,
      fetch,
      Octokit,
    });
    return { clients };
  }
  if (!options.appId || !options.privateKey) {
    if (!options.Octokit || isProbotOctokit(options.Octokit)) return { clients: noCredentials() };
    // The app's own class without credentials (a test's stub): Probot made its clients of it.
    const make = () => new Octokit({ baseUrl: apiUrl, request: { fetch } });
    return { clients: { forInstallation: make, forApp: make } };
  }
  const pem = options.privateKey;
  // Read when a JWT is first needed, as Probot does: apps' tests pass placeholder keys to
  // Probots that never authenticate. The error then names the option, never the key.
  const auth = createAppAuth({
    appId: String(options.appId),
    privateKey: () => readPrivateKey(pem, "privateKey").key,
    warn: (message) => logger.warn(message),
    apiUrl,
    fetch,
  });
  return {
    clients: createClientFactory({ appAuth: auth, logger, fetch, Octokit }),
    invalidate: (id) => auth.invalidate(id),
  };
}
