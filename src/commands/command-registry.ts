import { LRUCache } from "lru-cache";
import type { App } from "../app/app.js";
import { answerRefusal } from "./answer-refusal.js";
import { bindArgs, parseArgSpec, type ArgSpec } from "./command-args.js";
import type { CommandContext, CommandHandler, CommandSpec } from "./command-types.js";
import {
  checkPermission,
  checkPermissionSpec,
  type PermissionVerdict,
} from "./check-permission.js";
import { addedCommandLines, findCommandLines, type CommandLine } from "./parse-commands.js";
import { helpText, usageOf } from "./help-text.js";

export interface RegisteredCommand {
  plugin: string;
  name: string;
  spec: CommandSpec;
  args: ArgSpec[];
  handler: CommandHandler;
}

/** Every plugin's commands in one app: each plugin runs its own, `/help` lists them all. */
export interface CommandRegistry {
  /** The `app.command` a plugin gets. */
  forPlugin(plugin: string, app: App): App["command"];
  list(): RegisteredCommand[];
}

const EVENTS = ["issue_comment.created", "issue_comment.edited"] as const;

/** The lines this delivery adds: all of a new comment's, only the new ones of an edit. */
function newLines(context: CommandContext, prefix: string): CommandLine[] {
  const lines = findCommandLines(context.payload.comment.body, prefix);
  if (context.payload.action !== "edited") return lines;
  // An edit that left the body alone (GitHub sends none in `changes`) adds nothing.
  const before = (context.payload.changes as { body?: { from?: string } } | undefined)?.body;
  if (before?.from === undefined) return [];
  return addedCommandLines(lines, findCommandLines(before.from, prefix));
}

// The sender, not the comment's author: on an edit it is whoever edited, and a maintainer
// editing a stranger's comment is the one running what the edit adds.
const isBot = (context: CommandContext) =>
  context.payload.sender.type === "Bot" || context.payload.comment.user?.type === "Bot";

/**
 * Builds the registry. `helpApp` makes the App that answers `/help`; it is asked for once,
 * when the first command is registered.
 */
export function createCommandRegistry(options: { helpApp: () => App }): CommandRegistry {
  const commands: RegisteredCommand[] = [];
  const subscribed = new Set<string>();
  // Several commands of one comment (or several plugins) ask about the same commenter once.
  const verdicts = new LRUCache<string, Promise<PermissionVerdict>>({ max: 1000 });

  function verdict(context: CommandContext, command: RegisteredCommand) {
    const username = context.payload.sender.login;
    const { owner, repo } = context.repo();
    const permission = command.spec.permission!;
    const key = [context.id, owner, repo, username, permission].join("\n");
    let found = verdicts.get(key);
    if (found === undefined) {
      found = checkPermission({ octokit: context.octokit, owner, repo, username, permission });
      found.catch(() => verdicts.delete(key));
      verdicts.set(key, found);
    }
    return found;
  }

  async function runOne(context: CommandContext, command: RegisteredCommand, line: CommandLine) {
    const name = `\`${command.spec.prefix ?? "/"}${command.name}\``;
    const refuse = (reason: "permission" | "usage", message: string) => {
      const refusal = { reason, command: command.name, line: line.line, message };
      context.log.info({ command: command.name, reason }, "command refused");
      return (command.spec.onRefused ?? answerRefusal)(context, refusal);
    };
    const bound = bindArgs(command.args, line.argv);
    if (!bound.ok) {
      return refuse("usage", `${name}: ${bound.message}. Usage: \`${usageOf(command)}\``);
    }
    const { permission } = command.spec;
    if (permission !== undefined) {
      const { allowed, has } = await verdict(context, command);
      if (!allowed) {
        const needs = permission.startsWith("@")
          ? `is for members of ${permission}.`
          : `needs ${permission} permission on this repository (you have ${has}).`;
        return refuse("permission", `${name} ${needs}`);
      }
    }
    await command.handler(context, {
      name: line.name,
      args: bound.args,
      argv: line.argv,
      line: line.line,
    });
  }

  async function runPlugin(plugin: string, context: CommandContext) {
    const mine = commands.filter((command) => command.plugin === plugin);
    const failures: unknown[] = [];
    for (const prefix of new Set(mine.map((command) => command.spec.prefix ?? "/"))) {
      for (const line of newLines(context, prefix)) {
        const command = mine.find(
          (candidate) => candidate.name === line.name && (candidate.spec.prefix ?? "/") === prefix,
        );
        if (command === undefined) continue;
        if (context.payload.action === "edited" && command.spec.edited === false) continue;
        if (isBot(context) && !command.spec.allowBots) continue;
        // One failing command does not stop the next line's.
        await runOne(context, command, line).catch((error: unknown) => failures.push(error));
      }
    }
    if (failures.length === 1) throw failures[0];
    if (failures.length > 1) throw new AggregateError(failures, "several commands failed");
  }

  async function answerHelp(context: CommandContext) {
    if (isBot(context)) return;
    const prefixes = new Set(commands.map((command) => command.spec.prefix ?? "/"));
    const asked = [...prefixes].some((prefix) =>
      newLines(context, prefix).some((line) => line.name === "help"),
    );
    const taken = commands.some((command) => command.name === "help");
    if (!asked || taken) return;
    await context.octokit.rest.issues.createComment(context.issue({ body: helpText(commands) }));
  }

  return {
    forPlugin(plugin, app) {
      return (name, spec, handler) => {
        const lower = name.toLowerCase();
        if (!/^[a-z][\w-]*$/.test(lower)) {
          throw new Error(`command "${name}": a name is a letter, then letters, digits, - or _`);
        }
        if (
          commands.some(
            (command) =>
              command.name === lower && (command.spec.prefix ?? "/") === (spec.prefix ?? "/"),
          )
        ) {
          throw new Error(`command "${name}" is registered twice`);
        }
        if (spec.permission !== undefined) checkPermissionSpec(spec.permission, name);
        const args = parseArgSpec(spec.args, name);
        commands.push({ plugin, name: lower, spec, args, handler });
        if (subscribed.size === 0) options.helpApp().on([...EVENTS], answerHelp);
        if (!subscribed.has(plugin)) {
          subscribed.add(plugin);
          app.on([...EVENTS], (context) => runPlugin(plugin, context));
        }
      };
    },
    list: () => [...commands],
  };
}
