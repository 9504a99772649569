import { join } from "node:path";
import type { Command } from "commander";
import { findInstallation } from "../../auth/find-installation.js";
import { createFileTokenStore } from "../../auth/file-token-store.js";
import type { TokenStore } from "../../auth/token-store.js";
import type { Env } from "../../config/read-config.js";
import type { CliIo } from "../io.js";
import {
  createAppSetup,
  createStderrLogger,
  readCommandConfig,
  type CommandDeps,
} from "./app-setup.js";

export interface GitCredentialOptions {
  /** false with --no-cache: mint a token on every call instead of keeping one on disk. */
  cache?: boolean;
}

/** git's request: `key=value` lines up to a blank line (git-credential(1), "INPUT/OUTPUT FORMAT"). */
export function parseCredentialRequest(text: string): Map<string, string> {
  const fields = new Map<string, string>();
  for (const line of text.split("\n")) {
    const trimmed = line.replace(/\r$/, "");
    if (trimmed === "") break;
    const equals = trimmed.indexOf("=");
    if (equals > 0) fields.set(trimmed.slice(0, equals), trimmed.slice(equals + 1));
  }
  return fields;
}

/** True when git asks about GITHUB_URL's host over its protocol; a token goes nowhere else. */
export function isForGitHub(webUrl: string, fields: Map<string, string>): boolean {
  const github = new URL(webUrl);
  return (
    fields.get("protocol") === github.protocol.slice(0, -1) &&
    fields.get("host")?.toLowerCase() === github.host.toLowerCase()
  );
}

// GitHub's owner and repository names; "." and ".." are not names but path steps.
const NAME = /^(?!\.+$)[A-Za-z0-9_.-]+$/;

/** `owner/repo`, `owner/repo.git` or `owner/repo/` below GITHUB_URL's own path, if any. */
export function repoFromPath(
  webUrl: string,
  path: string,
): { owner: string; name: string } | undefined {
  const base = new URL(webUrl).pathname.replace(/^\/+|\/+$/g, "");
  let rest = path.replace(/^\/+|\/+$/g, "");
  if (base !== "") {
    if (!rest.startsWith(`${base}/`)) return undefined;
    rest = rest.slice(base.length + 1);
  }
  const [owner = "", repo = "", ...more] = rest.split("/");
  const name = repo.replace(/\.git$/, "");
  return more.length === 0 && NAME.test(owner) && NAME.test(name) ? { owner, name } : undefined;
}

/** Where tokens are kept between calls: the user's cache directory, if there is one. */
export function tokenCacheDir(env: Env): string | undefined {
  const set = (name: string) => (env[name]?.trim() ? env[name] : undefined);
  const xdg = set("XDG_CACHE_HOME");
  if (xdg) return join(xdg, "hookwright", "tokens");
  const home = set("HOME");
  if (home) return join(home, ".cache", "hookwright", "tokens");
  const local = set("LOCALAPPDATA");
  return local ? join(local, "hookwright", "tokens") : undefined;
}

const NO_PATH_HINT =
  "hookwright: git did not say which repository, so no token was given: run `git config --global credential.useHttpPath true`\n";

/**
 * git's credential helper protocol: `get` answers with a token for the installation that owns
 * the repository in `path`, narrowed to that repository; `erase` (git found the token
 * rejected) drops it from the cache; `store` and any other operation are accepted silently.
 */
export async function gitCredentialCommand(
  operation: string,
  options: GitCredentialOptions,
  io: CliIo,
  deps: CommandDeps = {},
): Promise<void> {
  if (!io.readStdin) throw new Error("git-credential needs standard input");
  const fields = parseCredentialRequest(await io.readStdin());
  if (operation !== "get" && operation !== "erase") return;
  const config = readCommandConfig(io);
  if (!isForGitHub(config.webUrl, fields)) return;
  const path = fields.get("path");
  const repo = path === undefined ? undefined : repoFromPath(config.webUrl, path);
  if (repo === undefined) {
    if (operation === "get") io.stderr(NO_PATH_HINT);
    return;
  }
  const dir = options.cache === false ? undefined : tokenCacheDir(io.env);
  const store: TokenStore | undefined =
    dir === undefined ? undefined : createFileTokenStore({ dir, clock: deps.clock });
  const setup = createAppSetup(config, createStderrLogger(config, io), deps, store);
  const scope = { repositories: [repo.name] };
  try {
    const installation = await findInstallation(setup.clients.forApp(), { repo });
    if (operation === "erase") {
      const password = fields.get("password");
      if (password) await setup.appAuth.dropToken(installation.id, scope, password);
      return;
    }
    const token = await setup.appAuth.installationToken(installation.id, scope);
    const expiry = Math.floor(Date.parse(token.expiresAt) / 1000);
    io.stdout(`username=x-access-token\npassword=${token.token}\npassword_expiry_utc=${expiry}\n`);
  } catch (error) {
    throw setup.explain(error);
  }
}

export function addGitCredentialCommand(program: Command, io: CliIo, deps?: CommandDeps): void {
  program
    .command("git-credential")
    .description(
      "a git credential helper: installation tokens for GITHUB_URL's host (needs credential.useHttpPath true)",
    )
    .argument("<operation>", "get, store or erase (git passes it)")
    .option("--no-cache", "mint a token on every call instead of keeping it in the user's cache")
    .addHelpText(
      "after",
      "\nSet it up with:\n  git config --global credential.helper '!npx hookwright git-credential'\n  git config --global credential.useHttpPath true",
    )
    .action((operation: string, options: GitCredentialOptions) =>
      gitCredentialCommand(operation, options, io, deps),
    );
}
