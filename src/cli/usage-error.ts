import type { CommanderError } from "commander";

// commander's own words for these, e.g. "error: unknown command 'x'".
const QUOTED = /'([^']*)'/;

/**
 * commander's usage errors in Hookwright's one-line form, e.g.
 * `hookwright: unknown command "x" (see hookwright --help)`.
 */
export function describeUsageError(error: CommanderError, command: string): string {
  const help = `(see ${command} --help)`;
  const quoted = QUOTED.exec(error.message)?.[1];
  if (error.code === "commander.unknownCommand" && quoted !== undefined) {
    return `hookwright: unknown command "${quoted}" ${help}`;
  }
  if (error.code === "commander.unknownOption" && quoted !== undefined) {
    return `hookwright: unknown option "${quoted}" ${help}`;
  }
  const line = error.message.replace(/^error: /, "").split("\n")[0];
  return `hookwright: ${line} ${help}`;
}
