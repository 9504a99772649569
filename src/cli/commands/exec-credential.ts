import type { Command } from "commander";
import type { CliIo } from "../io.js";
import { parseCredentialRequest } from "./git-credential.js";

/** The variables `exec` sets for its command's git credential helper. */
export const CREDENTIAL_URL_VARIABLE = "HOOKWRIGHT_EXEC_CREDENTIAL_URL";
export const CREDENTIAL_KEY_VARIABLE = "HOOKWRIGHT_EXEC_CREDENTIAL_KEY";

/**
 * The git credential helper inside `hookwright exec`: forwards git's `get` to the exec
 * process, which answers with its current (renewed) installation token for GitHub's host.
 */
export async function execCredentialCommand(operation: string, io: CliIo): Promise<void> {
  const fields = parseCredentialRequest(io.readStdin ? await io.readStdin() : "");
  const url = io.env[CREDENTIAL_URL_VARIABLE];
  const key = io.env[CREDENTIAL_KEY_VARIABLE];
  if (operation !== "get" || !url || !key) return;
  const response = await fetch(url, {
    method: "POST",
    headers: { authorization: `Bearer ${key}`, "content-type": "application/json" },
    body: JSON.stringify(Object.fromEntries(fields)),
    signal: AbortSignal.timeout(30_000),
  });
  if (response.ok) io.stdout(await response.text());
}

export function addExecCredentialCommand(program: Command, io: CliIo): void {
  program
    .command("exec-credential", { hidden: true })
    .argument("<operation>")
    .action((operation: string) => execCredentialCommand(operation, io));
}
