import { BAD_CREDENTIALS, JWT_NOT_DECODED, type Credentials } from "./auth.js";
import { answerDocumented } from "./documented-answer.js";
import { errorResult, GitHubError, type RouteResult } from "./http.js";
import type { RestTable } from "./rest-table.js";
import { matchRoute, type Need, type Route } from "./router.js";
import { appRoutes } from "./routes-app.js";
import { checkRoutes } from "./routes-checks.js";
import { collaboratorRoutes } from "./routes-collaborators.js";
import { contentsRoutes } from "./routes-contents.js";
import { issueRecordRoutes } from "./routes-issue-records.js";
import { issueRoutes } from "./routes-issues.js";
import { hookDeliveryRoutes } from "./routes-hook-deliveries.js";
import { labelRoutes } from "./routes-labels.js";
import { pullRoutes } from "./routes-pulls.js";
import { releaseRoutes } from "./routes-releases.js";
import { repoSettingsRoutes } from "./routes-repo-settings.js";
import { repoRoutes } from "./routes-repos.js";
import { searchRoutes } from "./routes-search.js";
import type { FakeState } from "./state.js";
import type { TokenFormat } from "./types.js";

/** The routes the fake keeps state for; every other documented route answers its example. */
const ROUTES: Route[] = [
  ...appRoutes,
  ...hookDeliveryRoutes,
  ...repoRoutes,
  ...contentsRoutes,
  ...issueRoutes,
  ...issueRecordRoutes,
  ...labelRoutes,
  ...pullRoutes,
  ...checkRoutes,
  ...releaseRoutes,
  ...repoSettingsRoutes,
  ...searchRoutes,
  ...collaboratorRoutes,
];

export interface IncomingCall {
  method: string;
  url: URL;
  /** Origin plus any `/api/v3` prefix. */
  apiBase: string;
  /** Without the prefix. */
  pathname: string;
  body: unknown;
  bodyIsJson: boolean;
  credentials: Credentials;
  tokenFormat: TokenFormat;
}

/** Why the credentials do not fit the route, or undefined when they do. */
function refuse(need: Need, credentials: Credentials): RouteResult | undefined {
  if (need === "none" || credentials.kind === need) return undefined;
  if (credentials.kind === "none") return errorResult(401, "Requires authentication");
  if (need === "token") return errorResult(401, BAD_CREDENTIALS);
  // On a JWT route, a JWT that failed says why; anything else could not be decoded as one.
  if (credentials.kind === "invalid" && credentials.token === undefined) {
    return errorResult(401, credentials.message);
  }
  return errorResult(401, JWT_NOT_DECODED);
}

/** A documented route the fake keeps no state for: its example, read from the table on first use. */
function documented(call: IncomingCall, table: () => RestTable): RouteResult {
  const answer = answerDocumented(table(), call);
  if (answer === undefined) return errorResult(404, "Not Found");
  if (!call.bodyIsJson) return errorResult(400, "Problems parsing JSON");
  return call.credentials.kind === "invalid" ? errorResult(401, BAD_CREDENTIALS) : answer;
}

/**
 * Route, then credentials, then the handler; GitHubErrors become GitHub's error bodies. A
 * route without a handler here is answered from GitHub's description (`table`), or 404.
 */
export function dispatch(
  state: FakeState,
  call: IncomingCall,
  table?: () => RestTable,
): RouteResult {
  const found = matchRoute(ROUTES, call.method, call.pathname);
  if (found === undefined) {
    return table === undefined ? errorResult(404, "Not Found") : documented(call, table);
  }
  if (!call.bodyIsJson) return errorResult(400, "Problems parsing JSON");
  const refused = refuse(found.route.need, call.credentials);
  if (refused !== undefined) return refused;
  const token = call.credentials.kind === "token" ? call.credentials.record : undefined;
  try {
    if (token !== undefined) {
      const installation = state.installations.get(token.installationId);
      if (installation === undefined) return errorResult(401, BAD_CREDENTIALS);
      if (installation.suspendedAt !== null) {
        return errorResult(403, "This installation has been suspended");
      }
    }
    const { url, apiBase, body, tokenFormat } = call;
    const params = found.params;
    return found.route.handle({ state, params, url, apiBase, body, token, tokenFormat });
  } catch (error) {
    if (error instanceof GitHubError) return errorResult(error.status, error.message);
    throw error;
  }
}
