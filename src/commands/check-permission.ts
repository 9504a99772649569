import type { Octokit } from "../github/octokit.js";

/** A repository role, lowest first, or a team as `@org/team-slug`. */
export type CommandPermission = "read" | "triage" | "write" | "maintain" | "admin" | `@${string}`;

const ROLES = ["none", "read", "triage", "write", "maintain", "admin"] as const;

export interface PermissionVerdict {
  allowed: boolean;
  /** What the commenter has: their role, or whether they are in the team. */
  has: string;
}

export interface PermissionCheck {
  octokit: Octokit;
  owner: string;
  repo: string;
  username: string;
  permission: CommandPermission;
}

/** A team written as `@org/team-slug`, or undefined for a role. */
export function parseTeam(permission: string): { org: string; team: string } | undefined {
  const match = /^@([^/\s]+)\/([^/\s]+)$/.exec(permission);
  return match ? { org: match[1]!, team: match[2]! } : undefined;
}

/** Throws at load time on a permission that is neither a role nor `@org/team`. */
export function checkPermissionSpec(permission: string, command: string): void {
  if ((ROLES as readonly string[]).includes(permission) && permission !== "none") return;
  if (parseTeam(permission)) return;
  throw new Error(
    `command "${command}": permission "${permission}" is not read, triage, write, maintain, admin or @org/team`,
  );
}

function rank(role: string): number {
  return ROLES.indexOf(role as (typeof ROLES)[number]);
}

async function roleOf(check: PermissionCheck): Promise<string> {
  // https://docs.github.com/en/rest/collaborators/collaborators#get-repository-permissions-for-a-user
  const { data } = await check.octokit.request(
    "GET /repos/{owner}/{repo}/collaborators/{username}/permission",
    { owner: check.owner, repo: check.repo, username: check.username },
  );
  const { role_name: roleName, permission } = data as { role_name?: string; permission?: string };
  // A custom role (an organisation's own name) ranks as the base role `permission` reports.
  if (roleName !== undefined && rank(roleName) >= 0) return roleName;
  return permission ?? "none";
}

async function inTeam(check: PermissionCheck, org: string, team: string): Promise<boolean> {
  // https://docs.github.com/en/rest/teams/members#get-team-membership-for-a-user: 404 when not
  // a member; a pending invitation is not membership yet.
  try {
    const { data } = await check.octokit.request(
      "GET /orgs/{org}/teams/{team_slug}/memberships/{username}",
      { org, team_slug: team, username: check.username },
    );
    return (data as { state?: string }).state === "active";
  } catch (error) {
    if ((error as { status?: number }).status === 404) return false;
    throw error;
  }
}

/**
 * Asks GitHub whether `username` may run a command needing `permission` on the repository:
 * a role at least as high, or active membership of the team.
 *
 * @example
 * await checkPermission({ octokit, owner: "octo", repo: "hello", username: "alice", permission: "write" });
 * // { allowed: true, has: "maintain" }
 */
export async function checkPermission(check: PermissionCheck): Promise<PermissionVerdict> {
  const team = parseTeam(check.permission);
  if (team) {
    const member = await inTeam(check, team.org, team.team);
    return { allowed: member, has: member ? `member of ${check.permission}` : "not a member" };
  }
  const role = await roleOf(check);
  return { allowed: rank(role) >= rank(check.permission), has: role };
}
