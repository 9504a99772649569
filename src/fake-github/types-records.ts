/** A commit as seeded and as `GET /repos/{owner}/{repo}/commits` lists it. */
export interface FakeCommitSeed {
  /** Defaults to a sha derived from the repository and message. */
  sha?: string;
  message: string;
  /** Defaults to "octocat". */
  author?: string;
  /** Paths the commit changed. */
  files?: string[];
}

export interface FakeIssueSeed {
  /** Defaults to the lowest number not taken (issues and pulls share numbers; numbered seeds go first). */
  number?: number;
  title: string;
  body?: string;
  /** Defaults to "open". */
  state?: "open" | "closed";
  labels?: string[];
  /** The author's login; defaults to "octocat". */
  user?: string;
  assignees?: string[];
}

export interface FakePullSeed extends FakeIssueSeed {
  /** The head branch; defaults to `patch-<number>`. */
  head?: string;
  /** The base branch; defaults to the repository's default branch. */
  base?: string;
  draft?: boolean;
  merged?: boolean;
  /** What `GET …/pulls/{pull_number}/commits` lists; the last one is the head commit. */
  commits?: FakeCommitSeed[];
  /** What `GET …/pulls/{pull_number}/files` lists. */
  files?: string[];
}

export interface FakeReleaseSeed {
  tagName: string;
  name?: string;
  body?: string;
  draft?: boolean;
  prerelease?: boolean;
}

export interface FakeLabelSeed {
  name: string;
  /** Six hex digits without `#`; defaults to "ededed". */
  color?: string;
  description?: string;
}

/** What a repository holds before the first request; every part is optional. */
export interface FakeRepositorySeed {
  defaultBranch?: string;
  description?: string;
  topics?: string[];
  /** Files on the default branch, by path. */
  files?: Record<string, string>;
  issues?: FakeIssueSeed[];
  pulls?: FakePullSeed[];
  /** The default branch's history, oldest first. */
  commits?: FakeCommitSeed[];
  releases?: FakeReleaseSeed[];
  labels?: (string | FakeLabelSeed)[];
  /**
   * Role per login, as `GET /repos/{owner}/{repo}/collaborators/{username}/permission`
   * answers it (`role_name`); anyone else has "none".
   * @example
   * { collaborators: { alice: "write", bob: "triage" } }
   */
  collaborators?: Record<string, "read" | "triage" | "write" | "maintain" | "admin" | string>;
}

export interface FakeIssue {
  repo: string;
  number: number;
  title: string;
  body: string | null;
  state: "open" | "closed";
  user: string;
  assignees: string[];
  /** Present on pull requests. */
  pull?: FakePull;
  createdAt: number;
  updatedAt: number;
  closedAt: number | null;
}

export interface FakePull {
  head: string;
  base: string;
  draft: boolean;
  merged: boolean;
  commits: Required<Omit<FakeCommitSeed, "files">>[];
}

export interface FakeLabel {
  name: string;
  color: string;
  description: string | null;
}

export interface FakeRelease {
  id: number;
  repo: string;
  tagName: string;
  name: string | null;
  body: string | null;
  draft: boolean;
  prerelease: boolean;
  targetCommitish: string;
  createdAt: number;
}

export interface FakeCheckRun {
  id: number;
  repo: string;
  name: string;
  headSha: string;
  status: string;
  conclusion: string | null;
  externalId: string | null;
  detailsUrl: string | null;
  output: { title: string | null; summary: string | null; text: string | null };
  startedAt: number;
  completedAt: number | null;
  suiteId: number;
}

export interface FakeRepoSettings {
  description: string | null;
  homepage: string | null;
  private: boolean;
  archived: boolean;
  hasIssues: boolean;
  topics: string[];
  /** Any other field `PATCH /repos/{owner}/{repo}` was given, as given. */
  extra: Record<string, unknown>;
}

/** What the fake keeps per repository; routes change it, tests read it. */
export interface FakeRecords {
  /** Issues and pull requests (those with `pull`), every repository. */
  readonly issues: FakeIssue[];
  readonly releases: FakeRelease[];
  readonly checkRuns: FakeCheckRun[];
  /** Labels defined on a repository, by lower-cased full name. */
  labelsOf(repo: string): FakeLabel[];
  settingsOf(repo: string): FakeRepoSettings;
  /** The default branch's history, oldest first. */
  commitsOf(repo: string): Required<FakeCommitSeed>[];
  issue(repo: string, number: number): FakeIssue | undefined;
}

/** What a route added with `github.route()` is given. */
export interface FakeRouteRequest {
  method: string;
  /** The `{placeholders}` of the route, decoded. */
  params: Record<string, string>;
  query: Record<string, string>;
  /** Parsed JSON, the raw text, or undefined. */
  body: unknown;
  /** Lower-cased names. */
  headers: Record<string, string>;
  /** The fake's records (issues, releases, check runs, labels, settings). */
  state: FakeRecords;
}

export interface FakeRouteResponse {
  status: number;
  body?: unknown;
  headers?: Record<string, string>;
}

export type FakeRouteHandler = (
  request: FakeRouteRequest,
) => FakeRouteResponse | Promise<FakeRouteResponse>;

export interface GraphqlRequest {
  query: string;
  variables: Record<string, unknown>;
}

/**
 * Returns the `data` of the answer, or `{ errors }` (with optional `data`) to answer
 * GraphQL errors; a thrown error becomes one GraphQL error with its message.
 */
export type GraphqlHandler = (request: GraphqlRequest) => unknown | Promise<unknown>;
