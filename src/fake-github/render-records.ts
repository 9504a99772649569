import { isoSeconds } from "./http.js";
import { DEFAULT_LABEL_COLOR, fakeSha } from "./records.js";
import { renderAccount, renderRepo, WEB_URL } from "./render.js";
import type { FakeState, Repo } from "./state.js";
import type { FakeCheckRun, FakeCommitSeed, FakeIssue, FakeRelease } from "./types-records.js";

/** The pieces every renderer needs: the state and where the client thinks the API lives. */
export interface RenderScope {
  state: FakeState;
  apiBase: string;
}

const nodeId = (kind: string, id: number): string =>
  Buffer.from(`0${kind.length}:${kind}${id}`).toString("base64");

export function renderUser(scope: RenderScope, login: string): object {
  return { ...renderAccount(scope.state, login, "User"), url: `${scope.apiBase}/users/${login}` };
}

export function renderLabel(scope: RenderScope, repo: string, name: string): object {
  const label = scope.state.records.findLabel(repo, name);
  const id = scope.state.id("label", `${repo}:${name}`);
  return {
    id,
    node_id: nodeId("Label", id),
    url: `${scope.apiBase}/repos/${repo}/labels/${encodeURIComponent(label?.name ?? name)}`,
    name: label?.name ?? name,
    color: label?.color ?? DEFAULT_LABEL_COLOR,
    default: false,
    description: label?.description ?? null,
  };
}

export function issueLabelNames(state: FakeState, repo: string, number: number): string[] {
  return state.issueLabels.get(`${repo.toLowerCase()}#${number}`) ?? [];
}

export function renderIssue(scope: RenderScope, issue: FakeIssue): object {
  const id = scope.state.id("issue", `${issue.repo}#${issue.number}`);
  const base = `${scope.apiBase}/repos/${issue.repo}`;
  const kind = issue.pull ? "pull" : "issues";
  return {
    id,
    node_id: nodeId(issue.pull ? "PullRequest" : "Issue", id),
    url: `${base}/issues/${issue.number}`,
    repository_url: base,
    comments_url: `${base}/issues/${issue.number}/comments`,
    html_url: `${WEB_URL}/${issue.repo}/${kind}/${issue.number}`,
    number: issue.number,
    state: issue.state,
    title: issue.title,
    body: issue.body,
    user: renderUser(scope, issue.user),
    labels: issueLabelNames(scope.state, issue.repo, issue.number).map((name) =>
      renderLabel(scope, issue.repo, name),
    ),
    assignees: issue.assignees.map((login) => renderUser(scope, login)),
    comments: scope.state.comments.filter(
      (comment) => comment.repo === issue.repo && comment.issueNumber === issue.number,
    ).length,
    locked: false,
    created_at: isoSeconds(issue.createdAt),
    updated_at: isoSeconds(issue.updatedAt),
    closed_at: issue.closedAt === null ? null : isoSeconds(issue.closedAt),
    author_association: "OWNER",
    ...(issue.pull && {
      pull_request: {
        url: `${base}/pulls/${issue.number}`,
        html_url: `${WEB_URL}/${issue.repo}/pull/${issue.number}`,
      },
    }),
  };
}

export function renderPull(scope: RenderScope, repo: Repo, issue: FakeIssue): object {
  const pull = issue.pull;
  if (pull === undefined) return renderIssue(scope, issue);
  const head = pull.commits.at(-1)?.sha ?? "0000000000000000000000000000000000000000";
  const repoBody = renderRepo(scope.state, repo, scope.apiBase);
  const base = `${scope.apiBase}/repos/${issue.repo}/pulls/${issue.number}`;
  return {
    ...renderIssue(scope, issue),
    url: base,
    issue_url: `${scope.apiBase}/repos/${issue.repo}/issues/${issue.number}`,
    commits_url: `${base}/commits`,
    draft: pull.draft,
    merged: pull.merged,
    merged_at: pull.merged ? isoSeconds(issue.updatedAt) : null,
    head: { label: `${repo.owner}:${pull.head}`, ref: pull.head, sha: head, repo: repoBody },
    base: {
      label: `${repo.owner}:${pull.base}`,
      ref: pull.base,
      sha:
        scope.state.records.commitsOf(repo.fullName).at(-1)?.sha ??
        fakeSha(repo.fullName, pull.base),
      repo: repoBody,
    },
    commits: pull.commits.length,
    changed_files:
      scope.state.pullFiles.get(`${issue.repo.toLowerCase()}#${issue.number}`)?.length ?? 0,
  };
}

export function renderCommit(
  scope: RenderScope,
  repo: string,
  commit: Required<FakeCommitSeed>,
): object {
  const at = isoSeconds(scope.state.clock.now());
  const person = {
    name: commit.author,
    email: `${commit.author}@users.noreply.github.com`,
    date: at,
  };
  return {
    sha: commit.sha,
    node_id: Buffer.from(`Commit${commit.sha}`).toString("base64"),
    url: `${scope.apiBase}/repos/${repo}/commits/${commit.sha}`,
    html_url: `${WEB_URL}/${repo}/commit/${commit.sha}`,
    commit: {
      message: commit.message,
      author: person,
      committer: person,
      tree: { sha: commit.sha },
    },
    author: renderUser(scope, commit.author),
    committer: renderUser(scope, commit.author),
    parents: [],
    files: commit.files.map((filename) => ({
      filename,
      status: "modified",
      additions: 1,
      deletions: 0,
      changes: 1,
    })),
  };
}

export function renderRelease(scope: RenderScope, release: FakeRelease): object {
  const url = `${scope.apiBase}/repos/${release.repo}/releases/${release.id}`;
  return {
    id: release.id,
    node_id: nodeId("Release", release.id),
    url,
    assets_url: `${url}/assets`,
    upload_url: `https://uploads.github.com/repos/${release.repo}/releases/${release.id}/assets{?name,label}`,
    html_url: `${WEB_URL}/${release.repo}/releases/tag/${release.tagName}`,
    tag_name: release.tagName,
    target_commitish: release.targetCommitish,
    name: release.name,
    body: release.body,
    draft: release.draft,
    prerelease: release.prerelease,
    created_at: isoSeconds(release.createdAt),
    published_at: release.draft ? null : isoSeconds(release.createdAt),
    author: renderUser(scope, "octocat"),
    assets: [],
  };
}

export function renderCheckSuite(scope: RenderScope, runs: FakeCheckRun[], id: number): object {
  const [first] = runs;
  const done = runs.every((run) => run.status === "completed");
  return {
    id,
    node_id: nodeId("CheckSuite", id),
    head_sha: first?.headSha ?? null,
    status: done ? "completed" : "in_progress",
    conclusion: done
      ? (runs.find((run) => run.conclusion !== "success")?.conclusion ?? "success")
      : null,
    url: `${scope.apiBase}/repos/${first?.repo ?? ""}/check-suites/${id}`,
    latest_check_runs_count: runs.length,
    check_runs_url: `${scope.apiBase}/repos/${first?.repo ?? ""}/check-suites/${id}/check-runs`,
  };
}

export function renderCheckRun(scope: RenderScope, run: FakeCheckRun): object {
  const url = `${scope.apiBase}/repos/${run.repo}/check-runs/${run.id}`;
  return {
    id: run.id,
    node_id: nodeId("CheckRun", run.id),
    head_sha: run.headSha,
    external_id: run.externalId,
    url,
    html_url: `${WEB_URL}/${run.repo}/runs/${run.id}`,
    details_url: run.detailsUrl,
    status: run.status,
    conclusion: run.conclusion,
    started_at: isoSeconds(run.startedAt),
    completed_at: run.completedAt === null ? null : isoSeconds(run.completedAt),
    output: { ...run.output, annotations_count: 0, annotations_url: `${url}/annotations` },
    name: run.name,
    check_suite: { id: run.suiteId },
    app: { id: scope.state.appId, slug: "hookwright-test" },
    pull_requests: [],
  };
}
