import { isoSeconds } from "./http.js";
import { type FakeState, type Installation, type Repo } from "./state.js";

export const APP_SLUG = "hookwright-test";
export const BOT_LOGIN = `${APP_SLUG}[bot]`;
export const WEB_URL = "https://github.com";
const CREATED_AT = "2025-06-01T12:00:00Z";

export function renderAccount(state: FakeState, login: string, type = "Organization"): object {
  return {
    login,
    id: state.id("account", login),
    type,
    html_url: `${WEB_URL}/${login}`,
  };
}

export function renderRepo(state: FakeState, repo: Repo, apiBase: string): object {
  const owner = [...state.installations.values()].find(
    (installation) => installation.login.toLowerCase() === repo.owner.toLowerCase(),
  );
  const settings = state.records.settingsOf(repo.fullName);
  return {
    ...settings.extra,
    id: repo.id,
    node_id: Buffer.from(`010:Repository${repo.id}`).toString("base64"),
    name: repo.name,
    full_name: repo.fullName,
    owner: renderAccount(state, repo.owner, owner?.accountType ?? "Organization"),
    private: settings.private,
    description: settings.description,
    homepage: settings.homepage,
    archived: settings.archived,
    has_issues: settings.hasIssues,
    topics: settings.topics,
    default_branch: state.defaultBranch(repo.fullName),
    html_url: `${WEB_URL}/${repo.fullName}`,
    url: `${apiBase}/repos/${repo.fullName}`,
  };
}

export function renderInstallation(
  state: FakeState,
  installation: Installation,
  apiBase: string,
): object {
  return {
    id: installation.id,
    account: renderAccount(state, installation.login, installation.accountType),
    repository_selection: installation.selection,
    access_tokens_url: `${apiBase}/app/installations/${installation.id}/access_tokens`,
    repositories_url: `${apiBase}/installation/repositories`,
    html_url: `${WEB_URL}/settings/installations/${installation.id}`,
    app_id: state.appId,
    app_slug: APP_SLUG,
    target_id: state.id("account", installation.login),
    target_type: installation.accountType,
    permissions: installation.permissions,
    events: [],
    created_at: CREATED_AT,
    updated_at: CREATED_AT,
    suspended_at: installation.suspendedAt === null ? null : isoSeconds(installation.suspendedAt),
    suspended_by: null,
  };
}
