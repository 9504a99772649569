import type { ObservedCall } from "../events/delivery-events.js";

/** How one plugin's handlers ended for a delivery. */
export interface PluginRun {
  plugin: string;
  outcome: "running" | "completed" | "failed";
  error: string | null;
}

/** An API call as the console shows it: its plugin, bodies scrubbed, expected 404s marked. */
export interface LoggedCall extends Pick<
  ObservedCall,
  "method" | "path" | "status" | "plugin" | "requestBody" | "responseBody"
> {
  /** A 404 that is an answer, not a failure: a `.github/` configuration file not there. */
  expected: boolean;
}

/** Set on a request the console sent again: Redeliver keeps the id, Run as new takes a new one. */
export interface ReplayMark {
  kind: "redelivery" | "new";
  /** The row it was sent from. */
  of: number;
}

/** The header the console marks its resends with; the receiver passes headers through. */
export const REPLAY_HEADER = "x-hookwright-replay";

// `GET /repos/o/r/contents/.github%2Flabeler.yml → 404` is context.config() finding no file.
const CONFIG_LOOKUP = /^\/repos\/[^/]+\/[^/]+\/contents\/\.github(?:%2F|\/)/i;

export function logCall(call: ObservedCall, scrub: (text: string) => string): LoggedCall {
  const { method, path, status, plugin } = call;
  const logged: LoggedCall = {
    method,
    path,
    status,
    ...(plugin !== undefined && { plugin }),
    expected: call.method === "GET" && call.status === 404 && CONFIG_LOOKUP.test(call.path),
  };
  if (call.requestBody !== undefined) logged.requestBody = scrub(call.requestBody);
  if (call.responseBody !== undefined) logged.responseBody = scrub(call.responseBody);
  return logged;
}

/** A plugin with several handlers failed if any failed; it runs until the last one ends. */
export function recordRun(
  runs: PluginRun[],
  plugin: string,
  outcome: "started" | "completed" | "failed",
  error: string | undefined,
  scrub: (text: string) => string,
) {
  let run = runs.find((each) => each.plugin === plugin);
  if (!run) {
    run = { plugin, outcome: "running", error: null };
    runs.push(run);
  }
  if (outcome === "failed") {
    run.outcome = "failed";
    run.error ??= error === undefined ? "failed" : scrub(error);
  } else if (run.outcome !== "failed") {
    run.outcome = outcome === "completed" ? "completed" : "running";
  }
}

export function replayMarkOf(value: string | undefined): ReplayMark | null {
  const match = /^(redelivery|new):(\d{1,9})$/.exec(value ?? "");
  return match ? { kind: match[1] as ReplayMark["kind"], of: Number(match[2]) } : null;
}
