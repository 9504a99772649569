import { HookwrightError } from "../errors.js";
import type { Octokit } from "../github/octokit.js";

/** Where an installation is looked for: by id, or by the repository or account it is on. */
export type InstallationTarget =
  | { installationId: number }
  | { repo: { owner: string; name: string } }
  | { org: string }
  | { user: string };

/** The parts of an installation an operator needs to pick one. */
export interface InstallationSummary {
  id: number;
  account: string;
  /** "Organization", "User" or "Enterprise". */
  targetType: string;
  repositorySelection: "all" | "selected";
  suspended: boolean;
}

interface RawInstallation {
  id: number;
  account?: { login?: string; slug?: string; name?: string } | null;
  target_type?: string;
  repository_selection?: "all" | "selected";
  suspended_at?: string | null;
}

export function toInstallationSummary(raw: RawInstallation): InstallationSummary {
  return {
    id: raw.id,
    // Enterprise installations have an account with a slug and a name, but no login.
    account: raw.account?.login ?? raw.account?.slug ?? raw.account?.name ?? "",
    targetType: raw.target_type ?? "",
    repositorySelection: raw.repository_selection ?? "selected",
    suspended: raw.suspended_at !== null && raw.suspended_at !== undefined,
  };
}

interface Lookup {
  route: string;
  parameters: Record<string, string | number>;
  where: string;
}

// Parameters go through Octokit's URL template, which escapes them.
function lookupFor(target: InstallationTarget): Lookup {
  if ("installationId" in target) {
    const { installationId } = target;
    return {
      route: "GET /app/installations/{installation_id}",
      parameters: { installation_id: installationId },
      where: `installation ${installationId}`,
    };
  }
  if ("repo" in target) {
    const { owner, name } = target.repo;
    return {
      route: "GET /repos/{owner}/{repo}/installation",
      parameters: { owner, repo: name },
      where: `${owner}/${name}`,
    };
  }
  if ("org" in target) {
    return {
      route: "GET /orgs/{org}/installation",
      parameters: { org: target.org },
      where: `the organization ${target.org}`,
    };
  }
  return {
    route: "GET /users/{username}/installation",
    parameters: { username: target.user },
    where: `the user ${target.user}`,
  };
}

function statusOf(error: unknown): number | undefined {
  const status = (error as { status?: unknown } | null)?.status;
  return typeof status === "number" ? status : undefined;
}

function githubMessage(error: unknown): string {
  const data = (error as { response?: { data?: { message?: unknown } } } | null)?.response?.data;
  return typeof data?.message === "string" ? data.message : "Bad credentials";
}

/**
 * The installation the app has on a repository, an account, or with an id, asked of GitHub
 * with the app's JWT. https://docs.github.com/en/rest/apps/apps#get-a-repository-installation-for-the-authenticated-app
 *
 * @example
 * const installation = await findInstallation(clients.forApp(), {
 *   repo: { owner: "octo", name: "hello" },
 * });
 */
export async function findInstallation(
  appClient: Octokit,
  target: InstallationTarget,
): Promise<InstallationSummary> {
  const { route, parameters, where } = lookupFor(target);
  try {
    const { data } = await appClient.request(route, parameters);
    return toInstallationSummary(data as RawInstallation);
  } catch (error) {
    const status = statusOf(error);
    if (status === 404) {
      const message =
        "installationId" in target
          ? `the app has no installation ${target.installationId}`
          : `the app is not installed on ${where}`;
      throw new HookwrightError("INSTALLATION_NOT_FOUND", message, { status, cause: error });
    }
    if (status === 401) {
      throw new HookwrightError(
        "APP_JWT_REJECTED",
        `GitHub rejected the app JWT: ${githubMessage(error)}`,
        { status, cause: error },
      );
    }
    throw error;
  }
}
