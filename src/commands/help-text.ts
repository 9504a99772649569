import { formatArgSpec } from "./command-args.js";
import type { RegisteredCommand } from "./command-registry.js";

/** How a command is written: `/label <labels...>`. */
export function usageOf(command: RegisteredCommand): string {
  return [`${command.spec.prefix ?? "/"}${command.name}`, formatArgSpec(command.args)]
    .filter(Boolean)
    .join(" ");
}

/** The `/help` reply: every command with its usage and description, in registration order. */
export function helpText(commands: RegisteredCommand[]): string {
  const lines = commands.map((command) => {
    const usage = usageOf(command);
    const who = command.spec.permission ? ` (${command.spec.permission})` : "";
    return `- \`${usage}\`: ${command.spec.description}${who}`;
  });
  return ["Commands:", "", ...lines].join("\n");
}
