import { InvalidArgumentError, Option, type Command } from "commander";
import type { TokenScope } from "../../auth/create-app-auth.js";
import { findInstallation, type InstallationTarget } from "../../auth/find-installation.js";
import { HookwrightError } from "../../errors.js";
import type { CliIo } from "../io.js";
import {
  forgetLastToken,
  lastTokenPath,
  recallLastToken,
  rememberLastToken,
} from "../last-token.js";
import { revokeToken, tokenFromInput } from "../revoke-token.js";
import { tokenCacheDir } from "./git-credential.js";
import {
  createAppSetup,
  createStderrLogger,
  readCommandConfig,
  type AppSetup,
  type CommandDeps,
} from "./app-setup.js";

export interface TokenOptions {
  installation?: number;
  repo?: { owner: string; name: string };
  org?: string;
  user?: string;
  repositories?: string[];
  permissions?: Record<string, string>;
  /** Revoke the token on stdin, or the last one printed, instead of printing a new one. */
  revoke?: boolean;
}

// GitHub's owner and repository names; "." and ".." are not names but path steps.
const NAME = /^(?!\.+$)[A-Za-z0-9_.-]+$/;

export function parseInstallationId(value: string): number {
  const id = /^\d+$/.test(value) ? Number(value) : NaN;
  if (!Number.isSafeInteger(id) || id <= 0) {
    throw new InvalidArgumentError("expected an installation id (a positive whole number)");
  }
  return id;
}

export function parseRepo(value: string): { owner: string; name: string } {
  const [owner = "", name = "", ...rest] = value.split("/");
  if (!NAME.test(owner) || !NAME.test(name) || rest.length > 0) {
    throw new InvalidArgumentError("expected owner/name");
  }
  return { owner, name };
}

function parseName(value: string): string {
  if (!NAME.test(value)) throw new InvalidArgumentError("expected an account name");
  return value;
}

/** `a,b` or `owner/a,owner/b`: GitHub takes repository names without the owner. */
function parseRepositories(value: string): string[] {
  const names = value
    .split(",")
    .map((item) => item.trim())
    .filter(Boolean)
    .map((item) => item.slice(item.indexOf("/") + 1));
  if (names.length === 0 || !names.every((name) => NAME.test(name))) {
    throw new InvalidArgumentError("expected repository names separated by commas");
  }
  return names;
}

function parsePermissions(value: string): Record<string, string> {
  const permissions: Record<string, string> = {};
  for (const item of value.split(",").map((part) => part.trim())) {
    const match = /^([a-z_]+)=(read|write|admin)$/.exec(item);
    if (!match) {
      throw new InvalidArgumentError(`expected name=read|write|admin pairs, got "${item}"`);
    }
    permissions[match[1]!] = match[2]!;
  }
  return permissions;
}

function targetOf(options: TokenOptions): InstallationTarget | undefined {
  if (options.repo) return { repo: options.repo };
  if (options.org) return { org: options.org };
  if (options.user) return { user: options.user };
  return undefined;
}

/** The installation named on the command line; with none named, the app's only one. */
export async function chooseInstallation(setup: AppSetup, options: TokenOptions): Promise<number> {
  if (options.installation !== undefined) return options.installation;
  const target = targetOf(options);
  const client = setup.clients.forApp();
  if (target) return (await findInstallation(client, target)).id;
  const all = await client.paginate("GET /app/installations", { per_page: 100 });
  if (all.length === 1) return all[0]!.id;
  throw new HookwrightError(
    "USAGE",
    all.length === 0
      ? "the app has no installations yet: install it from its page on GitHub"
      : `the app has ${all.length} installations: name one with --installation, --repo, --org or --user (see \`hookwright installations\`)`,
  );
}

/** Prints one JSON object with a new installation token, and nothing else on stdout. */
export async function tokenCommand(
  options: TokenOptions,
  io: CliIo,
  deps: CommandDeps = {},
): Promise<void> {
  const config = readCommandConfig(io);
  if (options.revoke) return revokeCommand(io, deps);
  const setup = createAppSetup(config, createStderrLogger(config, io), deps);
  const scope: TokenScope = {};
  if (options.repositories) scope.repositories = options.repositories;
  if (options.permissions) scope.permissions = options.permissions;
  try {
    const installationId = await chooseInstallation(setup, options);
    const token = await setup.appAuth.installationToken(installationId, scope);
    const answer = {
      token: token.token,
      expires_at: token.expiresAt,
      installation_id: token.installationId,
      permissions: token.permissions,
      repository_selection: token.repositorySelection,
    };
    io.stdout(`${JSON.stringify(answer)}\n`);
    const dir = tokenCacheDir(io.env);
    if (dir) rememberLastToken(lastTokenPath(dir), setup.app.privateKey.key, token.token);
  } catch (error) {
    throw setup.explain(error);
  }
}

/** `token --revoke`: the token piped in (bare or as `token` printed it), else the last printed. */
async function revokeCommand(io: CliIo, deps: CommandDeps): Promise<void> {
  const config = readCommandConfig(io);
  const piped = io.readStdin && io.stdinIsTty !== true ? await io.readStdin() : "";
  const given = tokenFromInput(piped);
  if (piped.trim() !== "" && given === undefined) {
    throw new HookwrightError(
      "USAGE",
      "standard input holds no token (give it bare or as `token` prints it)",
    );
  }
  const dir = tokenCacheDir(io.env);
  const path = dir === undefined ? undefined : lastTokenPath(dir);
  const onDisk =
    path !== undefined && config.app ? recallLastToken(path, config.app.privateKey.key) : undefined;
  const token = given ?? onDisk;
  if (token === undefined) {
    throw new HookwrightError(
      "USAGE",
      "no token to revoke: pipe one in, or print one with `hookwright token` first",
    );
  }
  const outcome = await revokeToken(
    token,
    config.apiUrl,
    deps.fetch ?? globalThis.fetch,
    config.githubRequestTimeoutMs,
  );
  if (path !== undefined && onDisk === token) forgetLastToken(path);
  io.stderr(
    outcome === "revoked"
      ? "hookwright: token revoked\n"
      : "hookwright: the token had already expired or been revoked\n",
  );
}

export function addTokenCommand(program: Command, io: CliIo, deps?: CommandDeps): void {
  const targets = ["installation", "repo", "org", "user"];
  const conflicting = (name: string) => targets.filter((other) => other !== name);
  program
    .command("token")
    .description(
      "print a new installation token as JSON: {token, expires_at, installation_id, permissions, repository_selection}",
    )
    .addOption(
      new Option("--installation <id>", "the installation's id")
        .argParser(parseInstallationId)
        .conflicts(conflicting("installation")),
    )
    .addOption(
      new Option("--repo <owner/name>", "the installation on this repository")
        .argParser(parseRepo)
        .conflicts(conflicting("repo")),
    )
    .addOption(
      new Option("--org <name>", "the installation on this organization")
        .argParser(parseName)
        .conflicts(conflicting("org")),
    )
    .addOption(
      new Option("--user <name>", "the installation on this user account")
        .argParser(parseName)
        .conflicts(conflicting("user")),
    )
    .addOption(
      new Option(
        "--repositories <names>",
        "narrow the token to these repositories (a,b)",
      ).argParser(parseRepositories),
    )
    .addOption(
      new Option(
        "--permissions <pairs>",
        "narrow the token's permissions (issues=write,contents=read)",
      ).argParser(parsePermissions),
    )
    .option("--revoke", "revoke the token on standard input, or the last one printed")
    .addHelpText(
      "after",
      "\nWith none of --installation, --repo, --org, --user: the app's only installation.",
    )
    .action((options: TokenOptions) => tokenCommand(options, io, deps));
}
