import { randomUUID } from "node:crypto";
import { readFileSync } from "node:fs";
import { resolve } from "node:path";
import type { Command } from "commander";
import { Router } from "express";
import { pino, type Logger } from "pino";
import type { Config } from "../../config/config.js";
import { HookwrightError } from "../../errors.js";
import type { ClientFactory } from "../../github/create-client-factory.js";
import { createTokenClientFactory } from "../../github/create-token-client-factory.js";
import { createLogger } from "../../logging/create-logger.js";
import { deliveryFields } from "../../logging/log-deliveries.js";
import { findPlugins } from "../../plugin-loader/find-plugins.js";
import { importPlugin } from "../../plugin-loader/import-plugin.js";
import { registerTypeScriptFor } from "../../plugin-loader/register-typescript.js";
import { withProbotOptions } from "../../app/probot-members.js";
import { createEventRouter } from "../../app/create-event-router.js";
import { describeDelivery } from "../../webhooks/describe-delivery.js";
import type { CliIo } from "../io.js";
import { serializeQuietly, watchNetwork } from "../network-failure.js";
import { sandboxClients } from "./receive-sandbox.js";
import { createCommandRegistry } from "../../commands/command-registry.js";
import { createScheduleRegistry } from "../../schedules/schedule-registry.js";
import {
  createAppSetup,
  readCommandConfig,
  requestLimitsOf,
  webhookSecretsOf,
  type CommandDeps,
} from "./app-setup.js";

export interface ReceiveOptions {
  /** `issues` or `issues.opened`; GITHUB_EVENT_NAME when absent. */
  event?: string;
  /** Path to the payload JSON; GITHUB_EVENT_PATH when absent. */
  payload?: string;
  /** Run against a simulated GitHub started for this command: no app, token or network. */
  sandbox?: boolean;
}

const SANDBOX_INSTALLATION_ID = 1;

// Actions names a few triggers differently from the webhook whose payload they carry.
// https://docs.github.com/en/actions/writing-workflows/choosing-when-your-workflow-runs/events-that-trigger-workflows
const ACTIONS_ALIASES: Record<string, string> = { pull_request_target: "pull_request" };

function usage(message: string): HookwrightError {
  return new HookwrightError("USAGE", message);
}

function readPayload(path: string, cwd: string): Record<string, unknown> {
  let text: string;
  try {
    text = readFileSync(resolve(cwd, path), "utf8");
  } catch {
    throw usage(`cannot read the payload file ${path}`);
  }
  let payload: unknown;
  try {
    payload = JSON.parse(text);
  } catch {
    throw usage(`the payload file ${path} is not JSON`);
  }
  if (typeof payload !== "object" || payload === null || Array.isArray(payload)) {
    throw usage(`the payload file ${path} does not hold a JSON object`);
  }
  return payload as Record<string, unknown>;
}

/** The event name and payload, from the options or from a GitHub Actions job's environment. */
function readDelivery(options: ReceiveOptions, io: CliIo) {
  const eventName = options.event ?? io.env.GITHUB_EVENT_NAME?.trim();
  const path = options.payload ?? io.env.GITHUB_EVENT_PATH?.trim();
  if (!eventName) throw usage("name the event with -e <event>[.<action>] (or GITHUB_EVENT_NAME)");
  if (!path) throw usage("give the payload with -p <payload.json> (or GITHUB_EVENT_PATH)");
  const match = /^([a-z_]+)(?:\.([a-z_]+))?$/.exec(eventName);
  if (!match) throw usage(`"${eventName}" is not an event name such as issues or issues.opened`);
  const name = ACTIONS_ALIASES[match[1]!] ?? match[1]!;
  const action = match[2];
  const payload = readPayload(path, io.cwd);
  if (options.sandbox) {
    // The sandbox has one installation: the payload's becomes it, as the console's samples do.
    const installation = payload.installation as Record<string, unknown> | undefined;
    payload.installation = { ...installation, id: SANDBOX_INSTALLATION_ID };
  }
  if (action !== undefined) {
    // A hand-written payload may leave the action out; one that names another is a mistake.
    if (payload.action === undefined) payload.action = action;
    else if (payload.action !== action) {
      throw usage(`the payload's action is "${String(payload.action)}", not "${action}"`);
    }
  }
  return { id: randomUUID(), name, payload };
}

function createClients(config: Config, logger: Logger, io: CliIo, deps: CommandDeps) {
  if (config.app) {
    const setup = createAppSetup(config, logger, deps);
    return {
      clients: setup.clients,
      invalidate: (id: number) => setup.appAuth.invalidate(id),
    };
  }
  const token = io.env.GITHUB_TOKEN?.trim();
  if (!token) {
    throw new HookwrightError(
      "CONFIG_INVALID",
      "APP_ID is not set: set APP_ID and PRIVATE_KEY (or PRIVATE_KEY_PATH), or GITHUB_TOKEN inside a GitHub Actions job",
      { variable: "APP_ID" },
    );
  }
  const clients: ClientFactory = createTokenClientFactory({
    token,
    apiUrl: config.apiUrl,
    logger,
    fetch: deps.fetch,
    retryBaseMs: deps.retryBaseMs,
    requestLimits: requestLimitsOf(config),
  });
  return { clients, invalidate: undefined };
}

/**
 * `hookwright receive`: runs the plugins on one payload through the router the server uses,
 * with the same clients; a failing handler makes it fail (exit 1).
 */
export async function receiveCommand(
  pluginNames: string[],
  options: ReceiveOptions,
  io: CliIo,
  deps: CommandDeps = {},
): Promise<void> {
  const delivery = readDelivery(options, io);
  const config = readCommandConfig(io);
  const base = createLogger({
    level: config.logLevel,
    format: config.logFormat,
    secrets: webhookSecretsOf(config),
    destination:
      config.logFormat === "json" ? { write: (line: string) => io.stdout(line) } : undefined,
  });
  // A handler that failed for want of a network is logged in one line, not with its stack.
  const logger = base.child({}, { serializers: { err: quietErr } });
  const network = watchNetwork(deps.fetch ?? globalThis.fetch, (line) =>
    io.stderr(`hookwright: ${line}\n`),
  );
  const sandbox = options.sandbox
    ? await (await import("../../sandbox/create-sandbox.js")).startSandbox()
    : undefined;
  try {
    const recorded = sandbox && sandboxClients(sandbox, logger, network.fetch);
    const { clients, invalidate } =
      recorded ?? createClients(config, logger, io, { ...deps, fetch: network.fetch });
    await runPlugins(pluginNames, delivery, { config, io, logger, clients, invalidate });
    if (recorded) io.stdout(recorded.report(delivery.id));
  } catch (error) {
    const unreachable = network.failure();
    if (unreachable === undefined) throw error;
    throw new HookwrightError("GITHUB_UNAVAILABLE", `cannot reach GitHub: ${unreachable}`, {
      cause: error,
    });
  } finally {
    await sandbox?.close();
  }
}

const quietErr = (error: unknown) => {
  const quiet = serializeQuietly(error);
  return quiet === error ? pino.stdSerializers.err(error as Error) : quiet;
};

async function runPlugins(
  pluginNames: string[],
  delivery: ReturnType<typeof readDelivery>,
  parts: {
    config: Config;
    io: CliIo;
    logger: Logger;
    clients: ClientFactory;
    invalidate: ((id: number) => Promise<void>) | undefined;
  },
) {
  const { config, io, logger, clients, invalidate } = parts;
  const router = createEventRouter({ clients, logger, invalidate });
  // The same app.command and app.schedule as the server's: commands answer the payload;
  // schedules are checked as they register but never run in a one-shot command.
  const commands = createCommandRegistry({ helpApp: () => router.appFor("hookwright-commands") });
  const schedules = createScheduleRegistry();
  const refs = findPlugins(io.cwd, pluginNames.length > 0 ? pluginNames : config.plugins, {
    preferCompiled: io.env.NODE_ENV === "production",
  });
  await registerTypeScriptFor(refs);
  for (const ref of refs) {
    const plugin = await importPlugin(ref, (specifier) => import(specifier));
    // Nothing serves HTTP here: a plugin's routes are built but never mounted.
    const options = withProbotOptions({ cwd: io.cwd, getRouter: () => Router() });
    const app = router.appFor(ref.name, options);
    Object.assign(app, {
      command: commands.forPlugin(ref.name, app),
      schedule: schedules.forPlugin(ref.name),
    });
    await plugin(app, options);
  }
  if (refs.length === 0) logger.warn("no plugins found in plugins/ and none named");
  const log = logger.child(deliveryFields(describeDelivery(delivery)));
  try {
    await router.dispatch(delivery);
  } catch (error) {
    const failed = error instanceof AggregateError ? error.errors.length : 1;
    throw new HookwrightError(
      "HANDLER_FAILED",
      `${failed} handler${failed === 1 ? "" : "s"} failed on ${delivery.name} (delivery ${delivery.id}); the log has the details`,
      { cause: error },
    );
  }
  log.info({ plugins: refs.map((ref) => ref.name) }, "delivery handled");
}

export function addReceiveCommand(program: Command, io: CliIo, deps?: CommandDeps): void {
  program
    .command("receive")
    .description("run the plugins on one payload, against GITHUB_API_URL (also in GitHub Actions)")
    .argument("[plugins...]", "plugin names in plugins/ or module paths")
    .option("-e, --event <event>", "the event, e.g. issues or issues.opened (GITHUB_EVENT_NAME)")
    .option("-p, --payload <file>", "the payload JSON file (GITHUB_EVENT_PATH)")
    .option("--sandbox", "against a simulated GitHub: no app, token or network; prints the calls")
    .addHelpText(
      "after",
      "\nCredentials: APP_ID and PRIVATE_KEY, or GITHUB_TOKEN (e.g. in a GitHub Actions job); none with --sandbox.",
    )
    .action((plugins: string[], options: ReceiveOptions) =>
      receiveCommand(plugins, options, io, deps),
    );
}
