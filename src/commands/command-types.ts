import type { Context } from "../context/context.js";
import type { CommandArgs } from "./command-args.js";
import type { CommandPermission } from "./check-permission.js";

/** The Context a command handler gets: the comment's `issue_comment` delivery. */
export type CommandContext = Context<"issue_comment.created" | "issue_comment.edited">;

/** One run of a command: what was written and what its words became. */
export interface CommandInvocation {
  /** Lower-cased, without the prefix. */
  name: string;
  /** By argument name, as the command's `args` usage names them; variadic ones are lists. */
  args: CommandArgs;
  /** The words after the name, unparsed. */
  argv: string[];
  /** The whole line, e.g. `/label bug urgent`. */
  line: string;
}

/** Why a command did not run: the commenter lacks the permission, or the words do not fit. */
export interface CommandRefusal {
  reason: "permission" | "usage";
  command: string;
  line: string;
  /** A short sentence naming the reason, ready to reply with. */
  message: string;
}

/**
 * How a command is written and who may run it.
 * @example
 * { description: "Add labels", args: "<labels...>", permission: "write" }
 */
export interface CommandSpec {
  /** One line, listed by `/help`. */
  description: string;
  /**
   * Usage of its words: `<name>` required, `[name]` optional, `...` on the last for the rest.
   * Without it the command takes no words.
   */
  args?: string;
  /**
   * Needed on the repository (`read` < `triage` < `write` < `maintain` < `admin`, GitHub's
   * roles), or membership of a team as `@org/team-slug` (the app then needs the
   * organisation's members: read). Checked with the API before the handler runs; without it
   * anyone who can comment may run the command.
   */
  permission?: CommandPermission;
  /** What starts a command line. Default "/". */
  prefix?: string;
  /** Run lines an edit adds to a comment (each line once, never again). Default true. */
  edited?: boolean;
  /** Run when a bot writes the command. Default false: bots answering bots loop. */
  allowBots?: boolean;
  /**
   * Answers a refusal. Default: a reaction (`-1` for permission, `confused` for usage) on
   * the comment and a short reply naming the reason.
   */
  onRefused?: (context: CommandContext, refusal: CommandRefusal) => unknown;
}

/** Runs the command; may return a promise, which the delivery waits for. */
export type CommandHandler = (context: CommandContext, command: CommandInvocation) => unknown;

/** What `App` gains for slash commands. */
export interface CommandApi {
  /**
   * Runs `handler` for each line of an issue or pull request comment that starts with
   * `/name` (created, and lines an edit adds), after checking the commenter's `permission`
   * through the API. Code blocks and quoted lines are ignored; `/help` lists every command.
   * @example
   * app.command("label", { description: "Add labels", args: "<labels...>", permission: "write" },
   *   async (context, { args }) => {
   *     await context.octokit.rest.issues.addLabels(context.issue({ labels: args.labels as string[] }));
   *   });
   */
  command(name: string, spec: CommandSpec, handler: CommandHandler): void;
}
