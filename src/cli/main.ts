import { Command, CommanderError } from "commander";
import { describeUsageError } from "./usage-error.js";
import { hookwrightVersion } from "./version.js";
import { describeFailure, exitCodeFor } from "./exit-code.js";
import { ChildExit } from "./child-exit.js";
import { addExecCommand } from "./commands/exec.js";
import { addExecCredentialCommand } from "./commands/exec-credential.js";
import { addGitCredentialCommand } from "./commands/git-credential.js";
import { addInitCommand } from "./commands/init.js";
import { addInstallationsCommand } from "./commands/installations.js";
import { addJobsCommand } from "./commands/jobs.js";
import { addReceiveCommand } from "./commands/receive.js";
import { addRedeliverCommand } from "./commands/redeliver.js";
import { addTokenCommand } from "./commands/token.js";
import { addWorkerCommand } from "./commands/worker.js";
import { processIo, type CliIo } from "./io.js";
import { runCommand } from "./run-command.js";

/** Builds the command line; each command's action receives the same io. */
export function createProgram(io: CliIo): Command {
  const program = new Command("hookwright")
    .description("Run and operate a GitHub App built with Hookwright")
    .version(hookwrightVersion(), "-V, --version", "print the version")
    // `exec -- CMD --flag`: options after the command's name are the command's own.
    .enablePositionalOptions()
    .exitOverride()
    .configureOutput({
      writeOut: io.stdout,
      writeErr: io.stderr,
      // main() prints usage errors itself, in Hookwright's one-line form.
      outputError: () => undefined,
    });
  program
    .command("run")
    .description("serve webhooks with the plugins in plugins/ (or those named)")
    .argument("[plugins...]", "plugin names in plugins/ or module paths")
    .action((plugins: string[]) => runCommand(plugins, io));
  addReceiveCommand(program, io);
  addInstallationsCommand(program, io);
  addTokenCommand(program, io);
  addGitCredentialCommand(program, io);
  addRedeliverCommand(program, io);
  addWorkerCommand(program, io);
  addJobsCommand(program, io);
  addExecCommand(program, io);
  addInitCommand(program, io);
  addExecCredentialCommand(program, io);
  return program;
}

/** Parses argv and runs the command; returns the exit code, printing one line on failure. */
export async function main(argv: string[], io: CliIo = processIo()): Promise<number> {
  try {
    await createProgram(io).parseAsync(argv, { from: "user" });
    return 0;
  } catch (error) {
    if (error instanceof ChildExit) return error.exitCode;
    if (error instanceof CommanderError) {
      if (error.exitCode === 0) return 0;
      // Help shown because no command was given is already printed; the rest is one line.
      if (error.code !== "commander.help" && error.code !== "commander.helpDisplayed") {
        io.stderr(`${describeUsageError(error, commandOf(argv))}\n`);
      }
      return 2;
    }
    io.stderr(`${describeFailure(error)}\n`);
    return exitCodeFor(error);
  }
}

/** `hookwright` or `hookwright receive`: where the user's mistake is explained. */
function commandOf(argv: string[]): string {
  const known = createProgram({ ...silentIo }).commands.map((command) => command.name());
  const first = argv.find((arg) => !arg.startsWith("-"));
  return first !== undefined && known.includes(first) ? `hookwright ${first}` : "hookwright";
}

const silentIo: CliIo = {
  env: {},
  cwd: ".",
  stdout: () => undefined,
  stderr: () => undefined,
  isTty: false,
  onShutdown: () => undefined,
};
