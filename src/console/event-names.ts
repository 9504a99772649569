import { emitterEventNames } from "@octokit/webhooks";
import { HookwrightError } from "../errors.js";

const KNOWN = new Set<string>(emitterEventNames);
const BARE = emitterEventNames.filter((name) => !name.includes("."));
const FORM = /^([a-z_]{1,64})(?:\.([a-z_]{1,64}))?$/;

/** What the console sends: the `X-GitHub-Event` and, with `name.action`, the action. */
export interface ConsoleEvent {
  name: string;
  action?: string;
}

function refuse(message: string): HookwrightError {
  return new HookwrightError("INVALID_REQUEST", message);
}

/**
 * `issues` or `issues.opened`, checked against the events GitHub sends (@octokit/webhooks'
 * list), so a typo is refused with the names that would work instead of sent unheard.
 */
export function parseConsoleEvent(text: unknown): ConsoleEvent {
  const match = typeof text === "string" ? FORM.exec(text.trim()) : null;
  if (!match) throw refuse("event must be an event name such as issues or issues.opened");
  const [, name, action] = match as unknown as [string, string, string | undefined];
  if (!KNOWN.has(name)) {
    throw refuse(`"${name}" is not an event GitHub sends; known events: ${BARE.join(", ")}`);
  }
  if (action !== undefined && !KNOWN.has(`${name}.${action}`)) {
    const actions = emitterEventNames
      .filter((each) => each.startsWith(`${name}.`))
      .map((each) => each.slice(name.length + 1));
    const known = actions.length > 0 ? actions.join(", ") : "none";
    throw refuse(`"${action}" is not an action of ${name}; its actions: ${known}`);
  }
  return action === undefined ? { name } : { name, action };
}

/** The payload text with the event's action in it; a payload naming another action is refused. */
export function withAction(text: string, event: ConsoleEvent): string {
  if (event.action === undefined) return text;
  const payload = JSON.parse(text) as Record<string, unknown>;
  if (payload.action === event.action) return text;
  if (payload.action !== undefined) {
    throw refuse(`the payload's action is "${String(payload.action)}", not "${event.action}"`);
  }
  return JSON.stringify({ ...payload, action: event.action });
}
