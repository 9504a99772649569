import { posix } from "node:path";
import type * as Yaml from "yaml";
import { HookwrightError } from "../errors.js";
import type { Octokit } from "../github/octokit.js";
import { RENAMED_ALIAS } from "../github/renamed-methods.js";
import { isPlainObject, type ConfigObject } from "./merge-config.js";

export interface ReadRepoConfigOptions {
  octokit: Octokit;
  owner: string;
  repo: string;
  /** The file name inside `.github/`, e.g. "labeler.yml". */
  file: string;
  /** A full path instead of `.github/<file>` (`octokit.config.get`'s `path`). */
  path?: string;
  /** The branch to read the repository's own file from; its default branch otherwise. */
  ref?: string;
}

/** One file looked at, as @probot/octokit-plugin-config reports it (`config` null when absent). */
export interface ConfigFile {
  owner: string;
  repo: string;
  path: string;
  url: string;
  config: ConfigObject | null;
}

export interface ResolvedConfig {
  /**
   * The files found, `_extends` removed, the one extended furthest first and the repository's
   * own file last: each layer is merged over the ones before it (and all over the defaults).
   */
  layers: ConfigObject[];
  /** False when no file was found at all (Probot then answers null unless given defaults). */
  found: boolean;
  /** Every file looked at, in the order read. */
  files: ConfigFile[];
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

// Probot follows any chain without a loop; ten files is more than any real organisation
// layers, and a bound keeps a mistake from costing a request per link.
const MAX_EXTENDS = 10;
const EXTENSIONS = ["json", "yml", "yaml"];
// `[owner/]repo[:path.yml]`: an owner is a GitHub login (letters, digits, single hyphens
// inside, at most 39), a repository name, and a path that names a YAML file.
const EXTENDS =
  /^(?:([a-z\d](?:[a-z\d]|-(?=[a-z\d])){0,38})\/)?([-_.\w]+)(?::([-_./\w]+\.ya?ml))?$/i;
// The messages are Probot's (its @probot/octokit-plugin-config), word for word: apps'
// own tests assert them.
const PREFIX = "[@probot/octokit-plugin-config]";

export function sourceKey(repoFullName: string, path: string): string {
  return `${repoFullName.toLowerCase()}:${path}`;
}

function invalid(message: string, cause?: unknown): HookwrightError {
  return new HookwrightError("CONFIG_FILE_INVALID", `${PREFIX} ${message}`, { cause });
}

// The YAML parser takes tens of milliseconds to import: loaded with the first file read, not
// at start, since many apps never read a configuration file.
let yaml: Promise<typeof Yaml> | undefined;

function contentsEndpoint(at: Location & { ref?: string }) {
  return {
    method: "GET",
    url: "/repos/{owner}/{repo}/contents/{path}",
    ...at,
    mediaType: { format: "raw" },
  } as const;
}

/**
 * The file's text, or null on a 404. Asked for raw (as Probot asks); an answer with the
 * JSON form instead (a server that ignores the media type, or a test written for Probot ≤ 10
 * that replies `{ content }`) is decoded from base64.
 * https://docs.github.com/en/rest/repos/contents#get-repository-content
 */
type LegacyRepos = Record<string, ((params: object) => Promise<{ data: unknown }>) | undefined>;

/**
 * A request for the file. Probot ≤ 9 read it with `repos.getContents`, which today's clients
 * have only as a renamed alias: a client whose own method it is, is an old one or a test's mock (Probot ≤ 10's tests
 * replaced `app.auth` and spied on that method), and is asked through it. A mock without
 * `request` is asked through `repos.getContent`.
 */
function send(octokit: Octokit, at: Location & { ref?: string }): Promise<{ data: unknown }> {
  const repos = (octokit as unknown as { repos?: LegacyRepos }).repos ?? {};
  const legacy = repos.getContents;
  if (typeof legacy === "function" && !(RENAMED_ALIAS in legacy)) return legacy({ ...at });
  if (typeof octokit.request === "function") return octokit.request(contentsEndpoint(at));
  if (!repos.getContent)
    throw new TypeError("the client has neither request() nor repos.getContent()");
  return repos.getContent({ ...at });
}

function urlOf(octokit: Octokit, endpoint: ReturnType<typeof contentsEndpoint>): string {
  if (typeof octokit.request?.endpoint === "function")
    return octokit.request.endpoint(endpoint).url;
  const path = encodeURIComponent(endpoint.path);
  return `https://api.github.com/repos/${endpoint.owner}/${endpoint.repo}/contents/${path}`;
}

async function fetchText(
  octokit: Octokit,
  at: Location & { ref?: string },
  url: string,
): Promise<unknown> {
  let data: unknown;
  try {
    ({ data } = await send(octokit, at));
  } catch (error) {
    if ((error as { status?: unknown }).status === 404) return null;
    throw error;
  }
  if (typeof data === "string" || data instanceof ArrayBuffer) {
    return typeof data === "string" ? data : Buffer.from(data).toString("utf8");
  }
  const file = data as { type?: unknown; content?: unknown; encoding?: unknown };
  if (!Array.isArray(data) && typeof file.content === "string" && file.type !== "submodule") {
    return file.encoding === "base64" || file.encoding === undefined
      ? Buffer.from(file.content, "base64").toString("utf8")
      : file.content;
  }
  if (at.path.toLowerCase().endsWith(".json") && isPlainObject(data)) return data;
  throw invalid(`${url} exists, but is either a directory or a submodule. Ignoring.`);
}

async function parse(raw: unknown, at: Location, url: string): Promise<ConfigObject> {
  if (at.path.toLowerCase().endsWith(".json")) {
    if (typeof raw !== "string") return raw as ConfigObject;
    try {
      return JSON.parse(raw) as ConfigObject;
    } catch (error) {
      throw invalid(`Configuration could not be parsed from ${url} (invalid JSON)`, error);
    }
  }
  const { parse: parseYaml } = await (yaml ??= import("yaml"));
  let value: unknown;
  try {
    value = parseYaml(String(raw), { logLevel: "error" }) ?? {};
  } catch (error) {
    throw invalid(`Configuration could not be parsed from ${url} (invalid YAML)`, error);
  }
  if (!isPlainObject(value)) {
    throw invalid(`Configuration could not be parsed from ${url} (YAML is not an object)`);
  }
  return value;
}

function extendsTarget(value: unknown, origin: Location, url: string): Location {
  if (typeof value !== "string") {
    throw invalid(`Invalid value ${JSON.stringify(value)} for _extends in ${url}`);
  }
  const match = EXTENDS.exec(value);
  if (!match) throw invalid(`Invalid value "${value}" for _extends in ${url}`);
  // Relative to the repository the event came from, not to the file naming it (as Probot).
  return { owner: match[1] || origin.owner, repo: match[2]!, path: match[3] || origin.path };
}

/**
 * Reads `.github/<file>` as Probot 14 does: from the repository's default branch, or from the
 * owner's `.github` repository when the repository has none, then every file named by
 * `_extends` in turn (`[owner/]repo[:path]`, relative to the event's repository; a target
 * that does not exist ends the chain). JSON files are read as JSON.
 *
 * @example
 * const { layers, found } = await readRepoConfig({ octokit, owner: "octo", repo: "hello", file: "labeler.yml" });
 */
export async function readRepoConfig(options: ReadRepoConfigOptions): Promise<ResolvedConfig> {
  const { octokit, owner, repo, file } = options;
  const path = options.path ?? posix.join(".github", file);
  const extension = (path.split(".").pop() ?? "").toLowerCase();
  if (!EXTENSIONS.includes(extension)) {
    throw invalid(`.${extension} extension is not support for configuration (path: "${path}")`);
  }
  const sources: string[] = [];
  const load = async (at: Location, ref?: string): Promise<ConfigFile> => {
    sources.push(sourceKey(`${at.owner}/${at.repo}`, at.path));
    const endpoint = contentsEndpoint(ref ? { ...at, ref } : at);
    const url = urlOf(octokit, endpoint);
    const raw = await fetchText(octokit, ref ? { ...at, ref } : at, url);
    return { ...at, url, config: raw === null ? null : await parse(raw, at, url) };
  };

  const origin: Location = { owner, repo, path };
  const files = [await load(origin, options.ref)];
  if (files[0]!.config === null && repo !== ".github") {
    files.push(await load({ owner, repo: ".github", path }));
  }
  let last = files[files.length - 1]!;
  // As Probot: the first target is loaded unchecked, each later one must be new.
  for (let hop = 0; last.config?._extends; hop++) {
    const value = last.config._extends;
    const target = extendsTarget(value, origin, last.url);
    delete last.config._extends;
    const seen = files.find(
      (loaded) =>
        loaded.owner === target.owner && loaded.repo === target.repo && loaded.path === target.path,
    );
    if (hop > 0 && seen) {
      throw invalid(
        `Recursion detected. Ignoring  "_extends: ${String(value)}" from ${last.url} because ${seen.url} was already loaded.`,
      );
    }
    if (files.length > MAX_EXTENDS) {
      throw new HookwrightError(
        "CONFIG_FILE_INVALID",
        `${files[0]!.url} extends more than ${MAX_EXTENDS} files`,
      );
    }
    last = await load(target);
    files.push(last);
  }
  const layers = files
    .map((loaded) => loaded.config)
    .filter((config): config is ConfigObject => config !== null)
    .reverse();
  return { layers, found: layers.length > 0, files, sources };
}
