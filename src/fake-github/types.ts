import type { KeyObject } from "node:crypto";
import type { Clock } from "../clock.js";
import type {
  FakeRecords,
  FakeRepositorySeed,
  FakeRouteHandler,
  GraphqlHandler,
} from "./types-records.js";

export type * from "./types-records.js";

export type Permissions = Record<string, string>;

export interface FakeInstallationInput {
  id: number;
  /** `type` defaults to "Organization". */
  account: { login: string; type?: "User" | "Organization" };
  /** Full names, "owner/name". */
  repositories: string[];
  /** Defaults to "selected". */
  repositorySelection?: "all" | "selected";
  /** Defaults to issues/pull_requests write, contents/metadata read. */
  permissions?: Permissions;
  suspended?: boolean;
}

/**
 * `classic`: `ghs_` and 36 alphanumerics. `stateless`: `ghs_` and a JWT of about 520
 * characters, which GitHub issues since 2026-04.
 */
export type TokenFormat = "classic" | "stateless";

export interface FakeGitHubOptions {
  appId: number;
  /** The app's public key (a private key PEM also works: its public half is used). */
  publicKey: KeyObject | string;
  clock?: Clock;
  /** Lifetime of issued installation tokens; GitHub's is one hour. */
  tokenLifetimeS?: number;
  /**
   * The installation tokens issued when a request does not ask for a format with
   * `X-GitHub-Stateless-S2S-Token`; HOOKWRIGHT_FAKE_TOKEN_FORMAT, else `classic`.
   */
  tokenFormat?: TokenFormat;
  installations?: FakeInstallationInput[];
  /**
   * What repositories hold, by full name: files, issues, pulls (with commits and files),
   * commits, releases, labels, topics. Which installation reaches them is `installations`'.
   */
  repositories?: Record<string, FakeRepositorySeed>;
}

export type AuthKind = "jwt" | "token" | "none" | "invalid";

export interface CallAuth {
  kind: AuthKind;
  installationId?: number;
  token?: string;
}

export interface RecordedCall {
  method: string;
  /** Pathname and query, without any `/api/v3` prefix. */
  path: string;
  /** Lower-cased names. */
  headers: Record<string, string>;
  /** Parsed JSON (the raw text if it was not JSON), or undefined without a body. */
  body: unknown;
  status: number;
  auth: CallAuth;
}

export interface IssuedToken {
  token: string;
  installationId: number;
  /** Milliseconds since the epoch, on the fake's clock. */
  expiresAt: number;
  permissions: Permissions;
  /** Full names; absent when the token covers every repository of the installation. */
  repositories?: string[];
}

export interface FakeComment {
  id: number;
  repo: string;
  issueNumber: number;
  body: string;
  installationId: number;
  /** Milliseconds since the epoch, on the fake's clock. */
  createdAt: number;
}

/** One attempt GitHub made to deliver a webhook, as `GET /app/hook/deliveries` lists it. */
export interface FakeHookDelivery {
  /** The attempt's id: what `POST /app/hook/deliveries/{id}/attempts` takes. */
  id: number;
  /** X-GitHub-Delivery: the same for every attempt of one event. */
  guid: string;
  /** ISO 8601. */
  deliveredAt: string;
  /** What the app's server answered (0: no answer). */
  statusCode: number;
  event: string;
  action?: string;
  redelivery?: boolean;
  installationId?: number;
}

export interface FakeLabelCall {
  repo: string;
  issueNumber: number;
  /** The labels this call added. */
  labels: string[];
  installationId: number;
}

export interface FailureMatch {
  method?: string;
  /** A string matches the pathname (or pathname + query) exactly; a RegExp is tested on both. */
  path?: string | RegExp;
}

export interface InjectedResponse {
  status: number;
  /** JSON-serialised; defaults to `{ message }` with a GitHub-like message for the status. */
  body?: unknown;
  headers?: Record<string, string>;
}

/** How `trickleNext` sends a body: headers at once, then `bytesPerChunk` bytes every `intervalMs`. */
export interface TrickleOptions {
  /** Default 1. */
  bytesPerChunk?: number;
  /** Default 100. */
  intervalMs?: number;
}

export type FetchLike = (input: string | URL | Request, init?: RequestInit) => Promise<Response>;

export interface FakeGitHub {
  /** The framework-free core: one web-standard request in, one response out. */
  handle(request: Request): Promise<Response>;
  /** `handle` with `fetch`'s signature, to inject as Octokit's `request.fetch`. Any origin works. */
  fetch: FetchLike;
  /** Serves `handle` on a loopback port; resolves to the base URL, e.g. `http://127.0.0.1:41234`. */
  listen(): Promise<string>;
  close(): Promise<void>;
  readonly calls: RecordedCall[];
  callsTo(method: string, path: string | RegExp): RecordedCall[];
  /** Clears `calls`; installations, tokens and stored data stay. */
  reset(): void;
  /** Adds an installation, or replaces the one with the same id. */
  addInstallation(input: FakeInstallationInput): void;
  /** Removes an installation, as uninstalling the app does; its tokens stop working. */
  removeInstallation(id: number): void;
  /**
   * Makes `login` a member of `org`'s team (`GET /orgs/{org}/teams/{team_slug}/memberships/{username}`).
   * @example
   * github.addTeamMember("octo", "maintainers", "alice");
   */
  addTeamMember(org: string, teamSlug: string, login: string, role?: "member" | "maintainer"): void;
  /** Stores a file for the contents API; `ref` defaults to the repository's default branch. */
  setFile(repo: string, path: string, content: string, ref?: string): void;
  /** Sets a repository's default branch ("main" unless set): contents without `ref` read it. */
  setDefaultBranch(repo: string, branch: string): void;
  /** The paths `GET /repos/{owner}/{repo}/pulls/{pull_number}/files` lists. */
  setPullRequestFiles(repo: string, pullNumber: number, paths: string[]): void;
  /** The labels an issue or pull request has now (added through the API, minus removed ones). */
  issueLabels(repo: string, issueNumber: number): string[];
  /**
   * The recorded calls to a route, given as `"METHOD /path"` with `{placeholders}` or values,
   * whose JSON body contains `body` (see `expectCall`).
   * @example
   * github.findCalls("GET /repos/{owner}/{repo}/contents/{path}").length
   */
  findCalls(route: string, body?: unknown): RecordedCall[];
  /**
   * Returns the first recorded call to `route` whose body contains `body` (objects by their
   * listed keys, arrays element by element, a RegExp tests a string); throws, listing every
   * call made, when there is none.
   * @example
   * github.expectCall("POST /repos/{owner}/{repo}/issues/{issue_number}/comments", { body: /Thanks/ });
   */
  expectCall(route: string, body?: unknown): RecordedCall;
  /** Throws when a recorded call to `route` (whose body contains `body`, if given) exists. */
  expectNoCall(route: string, body?: unknown): void;
  /** The calls that changed something: every call but reads and installation token exchanges. */
  writes(): RecordedCall[];
  /** The stable numeric id the fake gives a repository, for payloads that must agree with it. */
  repositoryId(fullName: string): number;
  readonly issuedTokens: IssuedToken[];
  revoke(token: string): void;
  /** Expires every token issued so far, as if an hour had passed for them. */
  expireAll(): void;
  readonly comments: FakeComment[];
  readonly labels: FakeLabelCall[];
  /**
   * The app's webhook delivery attempts, in any order (listed newest first). A redelivery
   * request adds an attempt answered 200, as if the app's server took it.
   */
  readonly hookDeliveries: FakeHookDelivery[];
  /** The attempt ids `POST /app/hook/deliveries/{id}/attempts` was called with. */
  readonly redeliveryRequests: number[];
  /** Answers the next `times` matching requests with `response`, before any auth check. */
  failNext(match: FailureMatch, response: InjectedResponse, times?: number): void;
  /** Delays every response by `ms` (real time). */
  setLatency(ms: number): void;
  /**
   * Adds a route, or overrides a built-in or documented one, for the life of the fake (`reset`
   * keeps it). `{name}` matches one path segment, a final `{path}` the rest. The handler is
   * called without any credential check.
   * @example
   * github.route("GET /repos/{owner}/{repo}/branches/{branch}", ({ params }) => ({
   *   status: 200,
   *   body: { name: params.branch, protected: true },
   * }));
   */
  route(spec: string, handler: FakeRouteHandler): void;
  /**
   * Answers `POST /graphql` with `handler`'s return value as `data`; a thrown error, or a
   * returned `{ errors }`, answers GraphQL errors. Without a handler every query gets one
   * GraphQL error saying so.
   * @example
   * github.graphql(({ query, variables }) => ({ repository: { name: variables.name } }));
   */
  graphql(handler: GraphqlHandler): void;
  /**
   * Adds to what a repository holds (see `FakeGitHubOptions.repositories`).
   * @example
   * github.seed("octo/hello", { issues: [{ title: "Crash on start", labels: ["bug"] }] });
   */
  seed(repo: string, seed: FakeRepositorySeed): void;
  /** Issues, pull requests, releases, check runs, labels and settings, as routes left them. */
  readonly records: FakeRecords;
  /**
   * The next `times` matching requests are recorded (status 0) and never answered: each ends
   * only when its caller aborts it (the fetch's signal, or the socket closing) or the fake closes.
   * @example
   * github.hangNext({ method: "POST", path: /\/access_tokens$/ });
   */
  hangNext(match: FailureMatch, times?: number): void;
  /**
   * The next `times` matching requests get their usual answer, headers at once and the body
   * slowly (real time), until the caller aborts or the fake closes.
   * @example
   * github.trickleNext({ method: "GET", path: "/repos/octo/hello" }, { bytesPerChunk: 1, intervalMs: 50 });
   */
  trickleNext(match: FailureMatch, options?: TrickleOptions, times?: number): void;
}
