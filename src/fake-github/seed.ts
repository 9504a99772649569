import { DEFAULT_USER, toCommit } from "./records.js";
import type { FakeState } from "./state.js";
import type {
  FakeIssue,
  FakeIssueSeed,
  FakePullSeed,
  FakeRepositorySeed,
} from "./types-records.js";

function checkName(fullName: string): void {
  if (!/^[^/\s]+\/[^/\s]+$/.test(fullName)) {
    throw new Error(`fake GitHub: repository "${fullName}" is not "owner/name"`);
  }
}

function lowestFree(state: FakeState, repo: string): number {
  let number = 1;
  while (state.records.issue(repo, number) !== undefined) number += 1;
  return number;
}

function addIssue(state: FakeState, repo: string, seed: FakeIssueSeed): FakeIssue {
  const { records } = state;
  const number = seed.number ?? lowestFree(state, repo);
  if (records.issue(repo, number) !== undefined) {
    throw new Error(`fake GitHub: ${repo}#${number} is seeded twice`);
  }
  const now = state.clock.now();
  const issue: FakeIssue = {
    repo,
    number,
    title: seed.title,
    body: seed.body ?? null,
    state: seed.state ?? "open",
    user: seed.user ?? DEFAULT_USER,
    assignees: [...(seed.assignees ?? [])],
    createdAt: now,
    updatedAt: now,
    closedAt: seed.state === "closed" ? now : null,
  };
  records.issues.push(issue);
  const names = seed.labels ?? [];
  for (const name of names) records.ensureLabel(repo, name);
  if (names.length > 0) state.issueLabels.set(`${repo.toLowerCase()}#${number}`, [...names]);
  return issue;
}

function addPull(state: FakeState, repo: string, seed: FakePullSeed): void {
  const issue = addIssue(state, repo, seed);
  const commits = (seed.commits ?? [{ message: seed.title }]).map((commit, index) =>
    toCommit(`${repo}#${issue.number}`, commit, index),
  );
  issue.pull = {
    head: seed.head ?? `patch-${issue.number}`,
    base: seed.base ?? state.defaultBranch(repo),
    draft: seed.draft ?? false,
    merged: seed.merged ?? false,
    commits: commits.map(({ sha, message, author }) => ({ sha, message, author })),
  };
  const files = seed.files ?? commits.flatMap((commit) => commit.files);
  state.pullFiles.set(`${repo.toLowerCase()}#${issue.number}`, [...new Set(files)]);
}

/**
 * Lays a repository's seed into the state: files on the default branch, labels, issues,
 * pull requests with their commits and files, the default branch's history, releases.
 */
export function seedRepository(state: FakeState, repo: string, seed: FakeRepositorySeed): void {
  checkName(repo);
  state.repo(repo);
  const { records } = state;
  if (seed.defaultBranch !== undefined) state.setDefaultBranch(repo, seed.defaultBranch);
  const settings = records.settingsOf(repo);
  if (seed.description !== undefined) settings.description = seed.description;
  if (seed.topics !== undefined) settings.topics = [...seed.topics];
  for (const [path, content] of Object.entries(seed.files ?? {})) {
    state.setFile(repo, path, content);
  }
  for (const label of seed.labels ?? []) {
    const { name, color, description } = typeof label === "string" ? { name: label } : label;
    const defined = records.ensureLabel(repo, name);
    if (color !== undefined) defined.color = color;
    if (description !== undefined) defined.description = description;
  }
  // Numbered ones first, so an unnumbered issue never takes a number a pull was seeded with.
  const entries = [
    ...(seed.issues ?? []).map((issue) => ({ issue, pull: false })),
    ...(seed.pulls ?? []).map((issue) => ({ issue, pull: true })),
  ].sort((a, b) => Number(a.issue.number === undefined) - Number(b.issue.number === undefined));
  for (const { issue, pull } of entries) {
    if (pull) addPull(state, repo, issue);
    else addIssue(state, repo, issue);
  }
  if (seed.commits !== undefined) records.setCommits(repo, seed.commits);
  if (seed.collaborators !== undefined) {
    const roles = state.collaborators.get(repo.toLowerCase()) ?? new Map<string, string>();
    for (const [login, role] of Object.entries(seed.collaborators)) {
      roles.set(login.toLowerCase(), role);
    }
    state.collaborators.set(repo.toLowerCase(), roles);
  }
  for (const release of seed.releases ?? []) {
    records.releases.push({
      id: records.nextId("release"),
      repo,
      tagName: release.tagName,
      name: release.name ?? release.tagName,
      body: release.body ?? null,
      draft: release.draft ?? false,
      prerelease: release.prerelease ?? false,
      targetCommitish: state.defaultBranch(repo),
      createdAt: state.clock.now(),
    });
  }
}
