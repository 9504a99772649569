import { Command, CommanderError } from "commander";
import { describeFailure, exitCodeFor } from "./exit-code.js";
import { addGitCredentialCommand } from "./commands/git-credential.js";
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
    .exitOverride()
    .configureOutput({
      writeOut: io.stdout,
      writeErr: io.stderr,
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
  return program;
}

/** Parses argv and runs the command; returns the exit code, printing one line on failure. */
export async function main(argv: string[], io: CliIo = processIo()): Promise<number> {
  try {
    await createProgram(io).parseAsync(argv, { from: "user" });
    return 0;
  } catch (error) {
    if (error instanceof CommanderError) {
      // commander has already printed its message (or the help text).
      return error.exitCode === 0 ? 0 : 2;
    }
    io.stderr(`${describeFailure(error)}\n`);
    return exitCodeFor(error);
  }
}
