import type { Octokit } from "../github/octokit.js";
import type { ConfigObject } from "../context/merge-config.js";
import { readRepoConfig, type ConfigFile } from "../context/read-repo-config.js";

/** `octokit.config.get`'s options, as @probot/octokit-plugin-config takes them. */
export interface ConfigGetOptions<T> {
  owner: string;
  repo: string;
  /** The file's path, e.g. ".github/my-app.yml". */
  path: string;
  /** Merged shallowly under the files; a function gets every file's object and merges itself. */
  defaults?: T | ((configs: ConfigObject[]) => T);
  branch?: string;
}

export interface ConfigGetResult<T> {
  config: T;
  files: ConfigFile[];
}

/**
 * `octokit.config.get()` (Probot's Octokit carries @probot/octokit-plugin-config): the same
 * reader as `context.config`, without its cache.
 *
 * @example
 * const { config } = await octokit.config.get({ owner, repo, path: ".github/my-app.yml", defaults: { on: true } });
 */
export async function getConfig<T extends object = ConfigObject>(
  octokit: Octokit,
  { owner, repo, path, defaults, branch }: ConfigGetOptions<T>,
): Promise<ConfigGetResult<T>> {
  const { layers, files } = await readRepoConfig({
    octokit,
    owner,
    repo,
    file: "",
    path,
    ref: branch,
  });
  const config =
    typeof defaults === "function"
      ? (defaults as (configs: ConfigObject[]) => T)(layers)
      : (Object.assign({}, defaults, ...layers) as T);
  return { config, files };
}
