import type { Command } from "commander";
import { toInstallationSummary, type InstallationSummary } from "../../auth/find-installation.js";
import type { CliIo } from "../io.js";
import {
  createAppSetup,
  createStderrLogger,
  readCommandConfig,
  type CommandDeps,
} from "./app-setup.js";

const HEADINGS = ["ID", "ACCOUNT", "TYPE", "REPOSITORIES", "SUSPENDED"];

function toRow(installation: InstallationSummary): string[] {
  return [
    String(installation.id),
    installation.account,
    installation.targetType,
    installation.repositorySelection,
    installation.suspended ? "yes" : "no",
  ];
}

function toTable(rows: string[][]): string {
  const widths = HEADINGS.map((_, column) => Math.max(...rows.map((row) => row[column]!.length)));
  return rows
    .map((row) =>
      row
        .map((cell, column) => cell.padEnd(widths[column]!))
        .join("  ")
        .trimEnd(),
    )
    .join("\n");
}

/** Every installation of the app, all pages of `GET /app/installations`. */
export async function installationsCommand(
  options: { json?: boolean },
  io: CliIo,
  deps: CommandDeps = {},
): Promise<void> {
  const config = readCommandConfig(io);
  const setup = createAppSetup(config, createStderrLogger(config, io), deps);
  let installations: InstallationSummary[];
  try {
    const client = setup.clients.forApp();
    const raw = await client.paginate("GET /app/installations", { per_page: 100 });
    installations = raw.map((installation) => toInstallationSummary(installation as never));
  } catch (error) {
    throw setup.explain(error);
  }
  if (options.json) {
    const list = installations.map((installation) => ({
      id: installation.id,
      account: installation.account,
      target_type: installation.targetType,
      repository_selection: installation.repositorySelection,
      suspended: installation.suspended,
    }));
    io.stdout(`${JSON.stringify(list, null, 2)}\n`);
    return;
  }
  if (installations.length === 0) {
    io.stderr("the app has no installations yet: install it from its page on GitHub\n");
    return;
  }
  io.stdout(`${toTable([HEADINGS, ...installations.map(toRow)])}\n`);
}

export function addInstallationsCommand(program: Command, io: CliIo, deps?: CommandDeps): void {
  program
    .command("installations")
    .description("list the app's installations: id, account, type, repository selection, suspended")
    .option("--json", "print a JSON array instead of a table")
    .action((options: { json?: boolean }) => installationsCommand(options, io, deps));
}
