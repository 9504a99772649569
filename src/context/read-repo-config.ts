import type * as Yaml from "yaml";
import { HookwrightError } from "../errors.js";
import type { Octokit } from "../github/octokit.js";
import { isPlainObject, mergeConfig, type ConfigObject } from "./merge-config.js";

export interface ReadRepoConfigOptions {
  octokit: Octokit;
  owner: string;
  repo: string;
  /** The file name inside `.github/`, e.g. "labeler.yml". */
  file: string;
}

export interface ResolvedConfig {
  /** The merged file, `_extends` applied and removed; null when there is no file. */
  value: ConfigObject | null;
  /**
   * Every `owner/name:path` (repository lower-cased) looked at, found or not: a push that
   * changes any of them may change the result.
   */
  sources: string[];
}

interface Location {
  owner: string;
  repo: string;
  path: string;
}

// Enough for any real organisation's layering; a longer chain is a mistake, not a setup.
const MAX_EXTENDS = 10;

export function sourceKey(repoFullName: string, path: string): string {
  return `${repoFullName.toLowerCase()}:${path}`;
}

function label({ owner, repo, path }: Location): string {
  return `${owner}/${repo}:${path}`;
}

function invalid(message: string, cause?: unknown): HookwrightError {
  return new HookwrightError("CONFIG_FILE_INVALID", message, { cause });
}

/** The file's text on the default branch (the contents API's default), or null on a 404. */
async function fetchFile(octokit: Octokit, at: Location): Promise<string | null> {
  try {
    const { data } = await octokit.rest.repos.getContent({ ...at });
    if (Array.isArray(data) || data.type !== "file" || !("content" in data)) {
      throw invalid(`${label(at)} is not a file`);
    }
    return Buffer.from(data.content, "base64").toString("utf8");
  } catch (error) {
    if ((error as { status?: unknown }).status === 404) return null;
    throw error;
  }
}

// The YAML parser takes tens of milliseconds to import: loaded with the first file read, not
// at start, since many apps never read a configuration file.
let yaml: Promise<typeof Yaml> | undefined;

async function parseConfig(text: string, at: Location): Promise<ConfigObject> {
  const { parseDocument } = await (yaml ??= import("yaml"));
  const document = parseDocument(text);
  const [error] = document.errors;
  if (error) {
    const where = error.linePos ? ` (line ${error.linePos[0].line})` : "";
    const reason = error.message.split("\n")[0] ?? error.code;
    throw invalid(`${label(at)} is not valid YAML${where}: ${reason}`, error);
  }
  const value = document.toJS() as unknown;
  if (value === null || value === undefined) return {};
  if (!isPlainObject(value)) {
    const found = Array.isArray(value) ? "a list" : `a ${typeof value}`;
    throw invalid(`${label(at)} must be a YAML mapping (key: value), but holds ${found}`);
  }
  return value;
}

/** `[owner/]repo[:path]`, relative to the file that names it. */
function parseExtends(value: unknown, from: Location, file: string): Location {
  const match =
    typeof value === "string" ? /^(?:([^/:\s]+)\/)?([^/:\s]+)(?::(.+))?$/.exec(value.trim()) : null;
  if (!match) {
    throw invalid(
      `${label(from)} has _extends ${JSON.stringify(value)}; use "[owner/]repo[:path]"`,
    );
  }
  const [, owner = from.owner, repo = "", path = `.github/${file}`] = match;
  return { owner, repo, path };
}

/**
 * Reads `.github/<file>` from the repository's default branch, or from the owner's `.github`
 * repository when the repository has none, and follows `_extends` chains. Mappings from the
 * file that extends override those of the file it extends.
 *
 * @example
 * const { value } = await readRepoConfig({ octokit, owner: "octo", repo: "hello", file: "labeler.yml" });
 */
export async function readRepoConfig(options: ReadRepoConfigOptions): Promise<ResolvedConfig> {
  const { octokit, owner, repo, file } = options;
  const path = `.github/${file}`;
  const sources: string[] = [];
  const read = async (at: Location) => {
    sources.push(sourceKey(`${at.owner}/${at.repo}`, at.path));
    return fetchFile(octokit, at);
  };

  let at: Location = { owner, repo, path };
  let text = await read(at);
  if (text === null && repo.toLowerCase() !== ".github") {
    at = { owner, repo: ".github", path };
    text = await read(at);
  }
  if (text === null) return { value: null, sources };

  const chain: ConfigObject[] = [];
  const visited: string[] = [];
  for (;;) {
    visited.push(label(at));
    const config = await parseConfig(text, at);
    const { _extends: target, ...own } = config;
    chain.unshift(own);
    if (target === undefined) break;
    const next = parseExtends(target, at, file);
    if (visited.some((seen) => seen.toLowerCase() === label(next).toLowerCase())) {
      throw invalid(`_extends loop: ${[...visited, label(next)].join(" → ")}`);
    }
    if (visited.length > MAX_EXTENDS) {
      throw invalid(`${visited[0]} extends more than ${MAX_EXTENDS} files`);
    }
    const nextText = await read(next);
    if (nextText === null) {
      throw invalid(`${label(at)} extends ${label(next)}, which does not exist or cannot be read`);
    }
    at = next;
    text = nextText;
  }
  return { value: chain.reduce((merged, layer) => mergeConfig(merged, layer), {}), sources };
}
