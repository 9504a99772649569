import type { Octokit as Core, OctokitOptions } from "@octokit/core";
import { Octokit } from "../github/octokit.js";
import { getConfig, type ConfigGetOptions, type ConfigGetResult } from "./octokit-config.js";

// The client's constructor is declared without its statics; Probot's users call
// `.defaults()` and `.plugin()` on it, which @octokit/core provides.
const Base = Octokit as unknown as Pick<
  typeof Core,
  "defaults" | "plugin" | "plugins" | "VERSION"
> &
  (new (options?: OctokitOptions) => Octokit);

/** Probot's options for its retry and throttling plugins; Hookwright's request policy reads `retry.enabled`. */
export interface ProbotOctokitOptions extends OctokitOptions {
  retry?: { enabled?: boolean; retries?: number };
  throttle?: { enabled?: boolean; [option: string]: unknown };
}

function withRetries(options: ProbotOctokitOptions): OctokitOptions {
  const { retry, throttle: _throttle, ...rest } = options;
  if (retry?.enabled !== false && retry?.retries === undefined) return rest;
  // The request policy retries 5xx answers `request.retries` times; a test that turned
  // Probot's retries off expects its first 5xx to fail the call.
  const retries = retry.enabled === false ? 0 : retry.retries;
  return { ...rest, request: { ...rest.request, retries } };
}

/**
 * Probot's Octokit class: Hookwright's client (`.rest.*` and the same methods without
 * `.rest`, `.paginate`, `.graphql`, `.request`), with `.defaults()` and `.plugin()` as in
 * Probot. Retries, rate limits and write serialisation are Hookwright's request policy:
 * `retry: { enabled: false }` turns off its 5xx retries; `throttle` options are accepted
 * and ignored, since the policy already waits out GitHub's limits per installation.
 *
 * @example
 * const probot = new Probot({
 *   appId, privateKey,
 *   Octokit: ProbotOctokit.defaults({ retry: { enabled: false }, throttle: { enabled: false } }),
 * });
 */
export class ProbotOctokit extends Base {
  constructor(options: ProbotOctokitOptions = {}) {
    super(withRetries(options));
  }

  /**
   * @probot/octokit-plugin-config's API, which Probot's Octokit carries.
   * @example
   * const { config } = await octokit.config.get({ owner, repo, path: ".github/app.yml" });
   */
  readonly config = {
    get: <T extends object>(options: ConfigGetOptions<T>): Promise<ConfigGetResult<T>> =>
      getConfig(this, options),
  };
}

/** Whether `Class` is Hookwright's client or made from it (`.defaults()`, `.plugin()`, `extends`). */
export function isProbotOctokit(Class: unknown): boolean {
  return typeof Class === "function" && (Class === Octokit || Class.prototype instanceof Octokit);
}
