import { spawn } from "node:child_process";
import { existsSync } from "node:fs";
import { constants } from "node:os";
import { fileURLToPath } from "node:url";
import { Option, type Command } from "commander";
import { HookwrightError } from "../../errors.js";
import { ChildExit } from "../child-exit.js";
import { startCredentialServer } from "../credential-server.js";
import type { CliIo } from "../io.js";
import { revokeToken } from "../revoke-token.js";
import {
  createAppSetup,
  createStderrLogger,
  readCommandConfig,
  type CommandDeps,
} from "./app-setup.js";
import { CREDENTIAL_KEY_VARIABLE, CREDENTIAL_URL_VARIABLE } from "./exec-credential.js";
import { isForGitHub } from "./git-credential.js";
import { chooseInstallation, parseRepo } from "./token.js";

export interface ExecOptions {
  repo?: { owner: string; name: string };
}

// What the command must not inherit: the app's own credentials mint tokens without end.
const WITHHELD = [
  "PRIVATE_KEY",
  "PRIVATE_KEY_PATH",
  "WEBHOOK_SECRET",
  "WEBHOOK_SECRET_PREVIOUS",
  "CONSOLE_TOKEN",
  "GITHUB_CLIENT_SECRET",
];

/** bin/hookwright.js, from src/cli/commands/ (tsx) or dist/src/cli/commands/ (built). */
function binPath(): string {
  for (const candidate of ["../../../bin/hookwright.js", "../../../../bin/hookwright.js"]) {
    const path = fileURLToPath(new URL(candidate, import.meta.url));
    if (existsSync(path)) return path;
  }
  throw new Error("bin/hookwright.js is missing from the package");
}

/** git reads config from GIT_CONFIG_COUNT/KEY_n/VALUE_n after its files: ours comes last. */
function gitConfig(env: Record<string, string | undefined>, entries: [string, string][]) {
  const start = Number(env.GIT_CONFIG_COUNT ?? 0) || 0;
  const added: Record<string, string> = { GIT_CONFIG_COUNT: String(start + entries.length) };
  entries.forEach(([key, value], i) => {
    added[`GIT_CONFIG_KEY_${start + i}`] = key;
    added[`GIT_CONFIG_VALUE_${start + i}`] = value;
  });
  return added;
}

/**
 * `hookwright exec [--repo o/r] -- CMD…`: runs CMD with an installation token in GH_TOKEN and
 * GITHUB_TOKEN (its environment only), git's credentials from a helper that is handed the
 * current token, renewed before it expires, and every token it was given revoked at the end.
 */
export async function execCommand(
  command: string[],
  options: ExecOptions,
  io: CliIo,
  deps: CommandDeps = {},
): Promise<void> {
  if (command.length === 0) throw new HookwrightError("USAGE", "name the command to run after --");
  const config = readCommandConfig(io);
  const setup = createAppSetup(config, createStderrLogger(config, io), deps);
  const scope = options.repo ? { repositories: [options.repo.name] } : undefined;
  const given = new Set<string>();
  let installationId: number;
  let first: string;
  try {
    installationId = await chooseInstallation(setup, options);
    first = (await setup.appAuth.installationToken(installationId, scope)).token;
  } catch (error) {
    throw setup.explain(error);
  }
  given.add(first);
  const current = async () => {
    // The cache hands back the same token until TOKEN_REFRESH_MARGIN_S before it expires.
    const token = (await setup.appAuth.installationToken(installationId, scope)).token;
    given.add(token);
    return token;
  };
  const credentials = await startCredentialServer(async (fields) =>
    isForGitHub(config.webUrl, fields)
      ? `username=x-access-token\npassword=${await current()}\n`
      : "",
  );
  const env: Record<string, string | undefined> = { ...io.env };
  for (const name of WITHHELD) delete env[name];
  const helper = `!"${process.execPath}" "${binPath()}" exec-credential`;
  Object.assign(
    env,
    { GH_TOKEN: first, GITHUB_TOKEN: first },
    { [CREDENTIAL_URL_VARIABLE]: credentials.url, [CREDENTIAL_KEY_VARIABLE]: credentials.key },
    // The empty helper first drops any helper configured before, as git documents.
    gitConfig(env, [
      ["credential.helper", ""],
      ["credential.helper", helper],
    ]),
  );
  let code: number;
  try {
    code = await run(command, env, io);
  } finally {
    await credentials.close();
    for (const token of given) {
      await revokeToken(
        token,
        config.apiUrl,
        deps.fetch ?? globalThis.fetch,
        config.githubRequestTimeoutMs,
      ).catch((error: unknown) =>
        io.stderr(`hookwright: could not revoke a token: ${(error as Error).message}\n`),
      );
    }
  }
  if (code !== 0) throw new ChildExit(code);
}

function run(
  command: string[],
  env: Record<string, string | undefined>,
  io: CliIo,
): Promise<number> {
  const [file, ...args] = command as [string, ...string[]];
  const child = spawn(file, args, {
    cwd: io.cwd,
    env,
    stdio: io.inheritStdio ? "inherit" : ["ignore", "pipe", "pipe"],
  });
  child.stdout?.on("data", (chunk: Buffer) => io.stdout(chunk.toString("utf8")));
  child.stderr?.on("data", (chunk: Buffer) => io.stderr(chunk.toString("utf8")));
  // The terminal's Ctrl-C reaches the child too; this process waits for it to end.
  if (io.inheritStdio) io.onShutdown(() => child.kill("SIGTERM"));
  return new Promise((resolve, reject) => {
    child.once("error", (error: NodeJS.ErrnoException) =>
      reject(
        error.code === "ENOENT"
          ? new HookwrightError("USAGE", `command not found: ${file}`)
          : error,
      ),
    );
    child.once("close", (status, signal) =>
      resolve(status ?? 128 + (signal ? constants.signals[signal] : 0)),
    );
  });
}

export function addExecCommand(program: Command, io: CliIo, deps?: CommandDeps): void {
  program
    .command("exec")
    .description(
      "run a command with an installation token in GH_TOKEN/GITHUB_TOKEN and git, revoked after",
    )
    .addOption(
      new Option(
        "--repo <owner/name>",
        "the installation on this repository, the token narrowed to it",
      ).argParser(parseRepo),
    )
    .argument("<command...>", "the command and its arguments, after --")
    .passThroughOptions()
    .action((command: string[], options: ExecOptions) => execCommand(command, options, io, deps));
}
