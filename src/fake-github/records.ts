import { createHash } from "node:crypto";
import type { Clock } from "../clock.js";
import type {
  FakeCheckRun,
  FakeCommitSeed,
  FakeIssue,
  FakeLabel,
  FakeRecords,
  FakeRelease,
  FakeRepoSettings,
} from "./types-records.js";

export const DEFAULT_USER = "octocat";
export const DEFAULT_LABEL_COLOR = "ededed";

/** The records plus what routes need to change them. */
export interface RecordStore extends FakeRecords {
  readonly clock: Clock;
  /** The next free issue/pull number of a repository. */
  nextNumber(repo: string): number;
  /** A repository label by name (case-insensitive), created as GitHub does when an issue gets it. */
  ensureLabel(repo: string, name: string): FakeLabel;
  findLabel(repo: string, name: string): FakeLabel | undefined;
  removeLabel(repo: string, name: string): boolean;
  /** Replaces a repository's history. */
  setCommits(repo: string, commits: FakeCommitSeed[]): void;
  /** Appends a commit to the default branch's history. */
  addCommit(repo: string, commit: FakeCommitSeed): Required<FakeCommitSeed>;
  /** The next id of a kind (release, check_run, check_suite). */
  nextId(kind: string): number;
}

const key = (repo: string): string => repo.toLowerCase();

/** A 40-hex sha that stays the same for the same inputs. */
export function fakeSha(...parts: string[]): string {
  return createHash("sha1").update(parts.join("\0")).digest("hex");
}

export function toCommit(repo: string, seed: FakeCommitSeed, index: number) {
  return {
    sha: seed.sha ?? fakeSha(repo, String(index), seed.message),
    message: seed.message,
    author: seed.author ?? DEFAULT_USER,
    files: seed.files ?? [],
  };
}

function defaultSettings(): FakeRepoSettings {
  return {
    description: null,
    homepage: null,
    private: true,
    archived: false,
    hasIssues: true,
    topics: [],
    extra: {},
  };
}

export function createRecordStore(clock: Clock): RecordStore {
  const issues: FakeIssue[] = [];
  const releases: FakeRelease[] = [];
  const checkRuns: FakeCheckRun[] = [];
  const labels = new Map<string, FakeLabel[]>();
  const settings = new Map<string, FakeRepoSettings>();
  const commits = new Map<string, Required<FakeCommitSeed>[]>();
  const ids = new Map<string, number>();

  const labelsOf = (repo: string): FakeLabel[] => {
    const list = labels.get(key(repo)) ?? [];
    labels.set(key(repo), list);
    return list;
  };
  const findLabel = (repo: string, name: string): FakeLabel | undefined =>
    labelsOf(repo).find((label) => label.name.toLowerCase() === name.toLowerCase());

  return {
    clock,
    issues,
    releases,
    checkRuns,
    labelsOf,
    settingsOf(repo) {
      const found = settings.get(key(repo)) ?? defaultSettings();
      settings.set(key(repo), found);
      return found;
    },
    commitsOf: (repo) => commits.get(key(repo)) ?? [],
    issue: (repo, number) =>
      issues.find((issue) => key(issue.repo) === key(repo) && issue.number === number),
    nextNumber(repo) {
      const used = issues.filter((issue) => key(issue.repo) === key(repo));
      return Math.max(0, ...used.map((issue) => issue.number)) + 1;
    },
    findLabel,
    ensureLabel(repo, name) {
      const found = findLabel(repo, name);
      if (found !== undefined) return found;
      const label: FakeLabel = { name, color: DEFAULT_LABEL_COLOR, description: null };
      labelsOf(repo).push(label);
      return label;
    },
    removeLabel(repo, name) {
      const list = labelsOf(repo);
      const index = list.findIndex((label) => label.name.toLowerCase() === name.toLowerCase());
      if (index < 0) return false;
      list.splice(index, 1);
      return true;
    },
    setCommits(repo, seeds) {
      commits.set(
        key(repo),
        seeds.map((seed, index) => toCommit(repo, seed, index)),
      );
    },
    addCommit(repo, seed) {
      const history = commits.get(key(repo)) ?? [];
      const commit = toCommit(repo, seed, history.length);
      history.push(commit);
      commits.set(key(repo), history);
      return commit;
    },
    nextId(kind) {
      const next = (ids.get(kind) ?? 0) + 1;
      ids.set(kind, next);
      return next;
    },
  };
}
