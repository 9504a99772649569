import { GitHubError, paginate } from "./http.js";
import { APP_SLUG, renderAccount, renderInstallation, WEB_URL } from "./render.js";
import { route, type Route, type RouteContext } from "./router.js";
import { DEFAULT_PERMISSIONS, type Installation } from "./state.js";
import { createAccessToken } from "./tokens.js";

const APP_EVENTS = [
  "installation",
  "installation_repositories",
  "issues",
  "issue_comment",
  "pull_request",
  "push",
];

function installationById(context: RouteContext): Installation {
  const installation = context.state.installations.get(Number(context.params.id));
  if (installation === undefined) throw new GitHubError(404, "Not Found");
  return installation;
}

function installationByLogin(context: RouteContext, login: string): object {
  const installation = [...context.state.installations.values()].find(
    (candidate) => candidate.login.toLowerCase() === login.toLowerCase(),
  );
  if (installation === undefined) throw new GitHubError(404, "Not Found");
  return renderInstallation(context.state, installation, context.apiBase);
}

/** The endpoints an app calls with its JWT. https://docs.github.com/en/rest/apps/apps */
export const appRoutes: Route[] = [
  route("GET", "/app", "jwt", ({ state }) => ({
    status: 200,
    body: {
      id: state.appId,
      slug: APP_SLUG,
      node_id: Buffer.from(`03:Integration${state.appId}`).toString("base64"),
      name: "Hookwright Test",
      owner: renderAccount(state, "hookwright"),
      description: "The app the fake GitHub pretends to be",
      external_url: "http://127.0.0.1",
      html_url: `${WEB_URL}/apps/${APP_SLUG}`,
      created_at: "2025-06-01T12:00:00Z",
      updated_at: "2025-06-01T12:00:00Z",
      permissions: DEFAULT_PERMISSIONS,
      events: APP_EVENTS,
      installations_count: state.installations.size,
    },
  })),

  route("GET", "/app/installations", "jwt", ({ state, url, apiBase }) => {
    const all = [...state.installations.values()].sort((a, b) => a.id - b.id);
    const page = paginate(all, url);
    return {
      status: 200,
      headers: page.headers,
      body: page.items.map((installation) => renderInstallation(state, installation, apiBase)),
    };
  }),

  route("GET", "/app/installations/:id", "jwt", (context) => ({
    status: 200,
    body: renderInstallation(context.state, installationById(context), context.apiBase),
  })),

  route("POST", "/app/installations/:id/access_tokens", "jwt", (context) => {
    const installation = installationById(context);
    if (installation.suspendedAt !== null) {
      throw new GitHubError(403, "This installation has been suspended");
    }
    const { state, body, apiBase, tokenFormat } = context;
    return createAccessToken(state, installation, body, apiBase, tokenFormat);
  }),

  route("GET", "/repos/:owner/:repo/installation", "jwt", ({ state, params, apiBase }) => {
    const fullName = `${params.owner}/${params.repo}`.toLowerCase();
    const installation = [...state.installations.values()].find((candidate) =>
      candidate.repositories.some((repo) => repo.toLowerCase() === fullName),
    );
    if (installation === undefined) throw new GitHubError(404, "Not Found");
    return { status: 200, body: renderInstallation(state, installation, apiBase) };
  }),

  route("GET", "/orgs/:login/installation", "jwt", (context) => ({
    status: 200,
    body: installationByLogin(context, context.params.login ?? ""),
  })),

  route("GET", "/users/:login/installation", "jwt", (context) => ({
    status: 200,
    body: installationByLogin(context, context.params.login ?? ""),
  })),
];
