import type { Clock } from "../clock.js";
import { createRecordStore, type RecordStore } from "./records.js";
import type {
  FakeComment,
  FakeInstallationInput,
  FakeHookDelivery,
  FakeLabelCall,
  IssuedToken,
  Permissions,
} from "./types.js";

export const DEFAULT_PERMISSIONS: Permissions = {
  issues: "write",
  pull_requests: "write",
  contents: "read",
  metadata: "read",
};

/**
 * What the test kit's and the sandbox's installation is granted: enough for every route the
 * fake keeps state for, so a plugin under test is refused only where its own scope says so.
 */
export const TEST_KIT_PERMISSIONS: Permissions = {
  ...DEFAULT_PERMISSIONS,
  administration: "write",
  checks: "write",
  contents: "write",
  statuses: "write",
};

export const DEFAULT_BRANCH = "main";

export interface Installation {
  id: number;
  login: string;
  accountType: "User" | "Organization";
  /** Full names as given. */
  repositories: string[];
  selection: "all" | "selected";
  permissions: Permissions;
  suspendedAt: number | null;
}

export interface Repo {
  id: number;
  owner: string;
  name: string;
  fullName: string;
}

/** Everything the fake knows; routes read and change it, the FakeGitHub exposes parts of it. */
export interface FakeState {
  readonly appId: number;
  readonly clock: Clock;
  readonly tokenLifetimeS: number;
  readonly installations: Map<number, Installation>;
  readonly tokens: IssuedToken[];
  readonly revoked: Set<string>;
  readonly comments: FakeComment[];
  readonly labels: FakeLabelCall[];
  readonly hookDeliveries: FakeHookDelivery[];
  readonly redeliveryRequests: number[];
  /** Current labels per `owner/name#number` (lower-cased repo). */
  readonly issueLabels: Map<string, string[]>;
  /** Changed paths per `owner/name#number` (lower-cased repo), for a pull request's files. */
  readonly pullFiles: Map<string, string[]>;
  /** Issues, pulls, releases, check runs, repository labels and settings. */
  readonly records: RecordStore;
  /** Role per login (lower-cased) per repository (lower-cased full name). */
  readonly collaborators: Map<string, Map<string, string>>;
  /** Role ("member" | "maintainer") per login (lower-cased) per `org/team-slug` (lower-cased). */
  readonly teams: Map<string, Map<string, string>>;
  /** The branch a repository's contents are read from when no `ref` is given. */
  defaultBranch(repo: string): string;
  setDefaultBranch(repo: string, branch: string): void;
  addInstallation(input: FakeInstallationInput): void;
  /** A repository by full name, case-insensitive, with its stable id. */
  repo(fullName: string): Repo;
  /** A stable id per kind and key, in order of first use. */
  id(kind: string, key: string): number;
  setFile(repo: string, path: string, content: string, ref?: string): void;
  /** Files of a repo and ref, keyed by path. */
  files(repo: string, ref: string): Map<string, string>;
}

const ID_BASES: Record<string, number> = { repo: 100_000, account: 500_000, comment: 900_000 };

export function createFakeState(appId: number, clock: Clock, tokenLifetimeS: number): FakeState {
  const installations = new Map<number, Installation>();
  const ids = new Map<string, number>();
  const counters = new Map<string, number>();
  const fileStore = new Map<string, Map<string, string>>();
  const defaultBranches = new Map<string, string>();

  const id = (kind: string, key: string): number => {
    const mapKey = `${kind}:${key.toLowerCase()}`;
    const known = ids.get(mapKey);
    if (known !== undefined) return known;
    const next = (counters.get(kind) ?? ID_BASES[kind] ?? 1_000) + 1;
    counters.set(kind, next);
    ids.set(mapKey, next);
    return next;
  };

  const repo = (fullName: string): Repo => {
    const [owner = "", name = ""] = fullName.split("/");
    return { id: id("repo", fullName), owner, name, fullName };
  };

  const fileKey = (fullName: string, ref: string): string =>
    `${fullName.toLowerCase()}@${ref.replace(/^refs\/heads\//, "")}`;

  return {
    appId,
    clock,
    tokenLifetimeS,
    installations,
    tokens: [],
    revoked: new Set(),
    comments: [],
    labels: [],
    hookDeliveries: [],
    redeliveryRequests: [],
    issueLabels: new Map(),
    pullFiles: new Map(),
    records: createRecordStore(clock),
    collaborators: new Map(),
    teams: new Map(),
    defaultBranch: (fullName) => defaultBranches.get(fullName.toLowerCase()) ?? DEFAULT_BRANCH,
    setDefaultBranch(fullName, branch) {
      defaultBranches.set(fullName.toLowerCase(), branch);
    },
    addInstallation(input) {
      for (const fullName of input.repositories) {
        if (!/^[^/\s]+\/[^/\s]+$/.test(fullName)) {
          throw new Error(`fake GitHub: repository "${fullName}" is not "owner/name"`);
        }
        repo(fullName);
      }
      id("account", input.account.login);
      installations.set(input.id, {
        id: input.id,
        login: input.account.login,
        accountType: input.account.type ?? "Organization",
        repositories: [...input.repositories],
        selection: input.repositorySelection ?? "selected",
        permissions: { ...(input.permissions ?? DEFAULT_PERMISSIONS) },
        suspendedAt: input.suspended === true ? clock.now() : null,
      });
    },
    repo,
    id,
    setFile(fullName, path, content, ref) {
      const key = fileKey(
        fullName,
        ref ?? defaultBranches.get(fullName.toLowerCase()) ?? DEFAULT_BRANCH,
      );
      const files = fileStore.get(key) ?? new Map<string, string>();
      files.set(path.replace(/^\/+/, ""), content);
      fileStore.set(key, files);
    },
    files: (fullName, ref) => fileStore.get(fileKey(fullName, ref)) ?? new Map(),
  };
}
