import { GitHubError } from "./http.js";
import { renderUser } from "./render-records.js";
import { route, type Route } from "./router.js";
import { repoFor } from "./route-helpers.js";

// The legacy `permission` field folds the five roles into three; custom roles keep their
// base role's. https://docs.github.com/en/rest/collaborators/collaborators#get-repository-permissions-for-a-user
const LEGACY: Record<string, string> = {
  admin: "admin",
  maintain: "write",
  write: "write",
  triage: "read",
  read: "read",
};

/** Collaborators' roles and team memberships, as seeded (`collaborators`, `addTeamMember`). */
export const collaboratorRoutes: Route[] = [
  route("GET", "/repos/:owner/:repo/collaborators/:username/permission", "token", (context) => {
    const repo = repoFor(context, ["metadata", "read"]);
    const login = context.params.username ?? "";
    const role =
      context.state.collaborators.get(repo.fullName.toLowerCase())?.get(login.toLowerCase()) ??
      "none";
    return {
      status: 200,
      body: {
        permission: LEGACY[role] ?? "none",
        role_name: role,
        user: renderUser(context, login),
      },
    };
  }),

  route("GET", "/orgs/:org/teams/:team_slug/memberships/:username", "token", (context) => {
    const { org = "", team_slug: slug = "", username = "" } = context.params;
    const key = `${org}/${slug}`.toLowerCase();
    const role = context.state.teams.get(key)?.get(username.toLowerCase());
    if (role === undefined) throw new GitHubError(404, "Not Found");
    return {
      status: 200,
      body: {
        url: `${context.apiBase}/teams/${context.state.id("team", key)}/memberships/${username}`,
        role,
        state: "active",
      },
    };
  }),
];
