import { posix } from "node:path";
import { Octokit } from "../github/octokit.js";
import { mergeConfigs, type ConfigObject, type MergeOptions } from "./merge-config.js";

type ConfigGet = (options: object) => unknown;

/**
 * The `config.get` of a client Hookwright did not build (an app's own Octokit class, or a
 * test's stub of one), which Probot 11–14's `context.config` reads through; none for ours.
 */
export function foreignConfigGet(octokit: unknown): ConfigGet | undefined {
  if (octokit instanceof Octokit) return undefined;
  const config = (octokit as { config?: { get?: unknown } } | undefined)?.config;
  return typeof config?.get === "function" ? (config.get.bind(config) as ConfigGet) : undefined;
}

/** Probot 14's `context.config` over @probot/octokit-plugin-config's `config.get`. */
export async function readForeignConfig(
  get: ConfigGet,
  at: { owner: string; repo: string; file: string },
  defaults: object | null | undefined,
  mergeOptions: MergeOptions | undefined,
): Promise<object | null> {
  const answer = (await get({
    owner: at.owner,
    repo: at.repo,
    path: posix.join(".github", at.file),
    defaults: (configs: ConfigObject[]) => mergeConfigs(defaults, configs, mergeOptions),
  })) as { config?: object; files?: { config: unknown }[] } | undefined;
  if (!defaults && (answer?.files ?? []).every((file) => file.config === null)) return null;
  return answer?.config ?? null;
}
