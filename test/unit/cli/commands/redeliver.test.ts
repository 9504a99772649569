import { describe, expect, it } from "@jest/globals";
import { Command, type Option } from "commander";
import { addRedeliverCommand, redeliverCommand } from "../../../../src/cli/commands/redeliver.js";
import { exitCodeFor } from "../../../../src/cli/exit-code.js";
import { createDeliveryLog } from "../../../helpers/hook-delivery-log.js";
import { rejectionOf } from "../../../helpers/rejection.js";
import { APP_ID, appEnv, captureIo } from "./capture-io.js";

const LIST = "/app/hook/deliveries";
const REDELIVER = /^\/app\/hook\/deliveries\/\d+\/attempts$/;
const MINUTE = 60_000;
const HOUR = 60 * MINUTE;

function setup() {
  const log = createDeliveryLog(APP_ID);
  return { ...log, deps: { fetch: log.github.fetch, clock: log.clock } };
}

/** A log with two events to redeliver, one to give up on, and two to leave alone. */
function typicalLog(deliver: ReturnType<typeof setup>["deliver"]) {
  deliver(1, "guid-push", 50 * MINUTE, 500, { event: "push", action: undefined });
  deliver(2, "guid-issue", 40 * MINUTE, 502);
  deliver(3, "guid-issue", 30 * MINUTE, 0);
  for (let n = 0; n < 5; n++) {
    deliver(10 + n, "guid-pr", (25 - n) * MINUTE, 503, {
      event: "pull_request",
      action: "synchronize",
    });
  }
  deliver(20, "guid-recovered", 20 * MINUTE, 500);
  deliver(21, "guid-recovered", 10 * MINUTE, 200);
  deliver(30, "guid-fine", 5 * MINUTE, 204);
}

const lines = (text: string) => text.split("\n").filter(Boolean).sort();

describe("redeliverCommand", () => {
  it("redelivers, printing one line per event on stdout and a summary on stderr", async () => {
    const { github, deliver, deps } = setup();
    typicalLog(deliver);
    const io = captureIo(appEnv());
    await redeliverCommand({ since: "24h" }, io, deps);
    expect(lines(io.out())).toEqual(
      [
        "redelivered guid-push push (answered 500, 1 failed attempt)",
        "redelivered guid-issue issues.opened (answered nothing, 2 failed attempts)",
        "gave up on guid-pr pull_request.synchronize (answered 503, 5 failed attempts)",
      ].sort(),
    );
    expect(io.out().endsWith("\n")).toBe(true);
    expect(io.err()).toBe("2 redelivered, 1 given up on, in the last 24h\n");
    expect(github.redeliveryRequests.slice().sort((a, b) => a - b)).toEqual([1, 3]);
    const posts = github.callsTo("POST", REDELIVER);
    expect(posts).toHaveLength(2);
    expect(posts.every((call) => call.auth.kind === "jwt")).toBe(true);
    expect(github.callsTo("GET", LIST).every((call) => call.auth.kind === "jwt")).toBe(true);
  });

  it("with --dry-run, says what it would redeliver and asks GitHub for nothing", async () => {
    const { github, deliver, deps } = setup();
    typicalLog(deliver);
    const io = captureIo(appEnv());
    await redeliverCommand({ since: "24h", dryRun: true }, io, deps);
    expect(lines(io.out())).toEqual(
      [
        "would redeliver guid-push push (answered 500, 1 failed attempt)",
        "would redeliver guid-issue issues.opened (answered nothing, 2 failed attempts)",
        "gave up on guid-pr pull_request.synchronize (answered 503, 5 failed attempts)",
      ].sort(),
    );
    expect(io.err()).toBe("2 would redeliver, 1 given up on, in the last 24h\n");
    expect(github.callsTo("POST", REDELIVER)).toEqual([]);
    expect(github.redeliveryRequests).toEqual([]);
  });

  it("looks back only as far as --since", async () => {
    const { github, deliver, deps } = setup();
    deliver(1, "recent", 30 * MINUTE, 500);
    deliver(2, "older", 2 * HOUR, 500);
    const io = captureIo(appEnv());
    await redeliverCommand({ since: "90m" }, io, deps);
    expect(lines(io.out())).toEqual([
      "redelivered recent issues.opened (answered 500, 1 failed attempt)",
    ]);
    expect(io.err()).toBe("1 redelivered, 0 given up on, in the last 90m\n");
    expect(github.redeliveryRequests).toEqual([1]);
  });

  it("prints only the summary when nothing failed", async () => {
    const { github, deliver, deps } = setup();
    deliver(1, "fine", MINUTE, 200);
    const io = captureIo(appEnv());
    await redeliverCommand({ since: "24h" }, io, deps);
    expect(io.out()).toBe("");
    expect(io.err()).toBe("0 redelivered, 0 given up on, in the last 24h\n");
    expect(github.callsTo("POST", REDELIVER)).toEqual([]);
  });

  it("finds nothing to redeliver when run again right after", async () => {
    const { github, deliver, deps } = setup();
    deliver(1, "failed", 10 * MINUTE, 500);
    await redeliverCommand({ since: "1h" }, captureIo(appEnv()), deps);
    const again = captureIo(appEnv());
    await redeliverCommand({ since: "1h" }, again, deps);
    expect(again.out()).toBe("");
    expect(github.redeliveryRequests).toEqual([1]);
  });

  it.each(["24", "0h", "abc", "", "-1h", "1w", "1.5h"])(
    "rejects --since %j as a usage error (exit 2) before calling GitHub",
    async (since) => {
      const { github, deliver, deps } = setup();
      deliver(1, "failed", MINUTE, 500);
      const io = captureIo(appEnv());
      const error = await rejectionOf(redeliverCommand({ since }, io, deps), "USAGE");
      expect(error.message).toContain("--since");
      expect(error.message).toContain(`"${since}"`);
      expect(exitCodeFor(error)).toBe(2);
      expect(github.calls).toEqual([]);
      expect(io.out()).toBe("");
    },
  );

  it("exits 2 explaining a refused JWT, printing nothing", async () => {
    const { github, deliver, deps } = setup();
    deliver(1, "failed", MINUTE, 500);
    github.failNext({ path: LIST }, { status: 401 });
    const io = captureIo(appEnv());
    const error = await rejectionOf(redeliverCommand({ since: "24h" }, io, deps), "CONFIG_INVALID");
    expect(error.message).toMatch(/^GitHub rejected the app's JWT/);
    expect(exitCodeFor(error)).toBe(2);
    expect(io.out()).toBe("");
    expect(github.redeliveryRequests).toEqual([]);
  });

  it("exits 2 naming APP_ID when the app's credentials are not configured", async () => {
    const error = await rejectionOf(redeliverCommand({ since: "24h" }, captureIo({}), {}));
    expect(error.code).toBe("CONFIG_INVALID");
    expect(error.message).toMatch(/^APP_ID is not set/);
  });
});

describe("addRedeliverCommand", () => {
  function program(deps: ReturnType<typeof setup>["deps"], io = captureIo(appEnv())) {
    const command = new Command()
      .exitOverride()
      .configureOutput({ writeErr: () => undefined, writeOut: () => undefined });
    addRedeliverCommand(command, io, deps);
    return { command, io };
  }

  it("registers `redeliver` with --since (default 24h), --dry-run and a description", () => {
    const { command } = program(setup().deps);
    const redeliver = command.commands.find((candidate) => candidate.name() === "redeliver");
    expect(redeliver).toBeDefined();
    expect(redeliver?.description()).not.toBe("");
    const since = redeliver?.options.find((option: Option) => option.long === "--since");
    expect(since?.defaultValue).toBe("24h");
    expect(redeliver?.options.some((option: Option) => option.long === "--dry-run")).toBe(true);
    expect(redeliver?.helpInformation()).toMatch(/--since <duration>/);
    expect(redeliver?.helpInformation()).toMatch(/--dry-run/);
  });

  it("runs the command from the command line: default --since, --dry-run passed through", async () => {
    const { github, deliver, deps } = setup();
    deliver(1, "recent", 23 * HOUR, 500);
    deliver(2, "too-old", 25 * HOUR, 500);
    const { command, io } = program(deps);
    await command.parseAsync(["redeliver", "--dry-run"], { from: "user" });
    expect(io.out()).toBe(
      "would redeliver recent issues.opened (answered 500, 1 failed attempt)\n",
    );
    expect(io.err()).toBe("1 would redeliver, 0 given up on, in the last 24h\n");
    expect(github.redeliveryRequests).toEqual([]);
  });

  it("takes --since from the command line", async () => {
    const { github, deliver, deps } = setup();
    deliver(1, "recent", 30 * MINUTE, 500);
    deliver(2, "older", 3 * HOUR, 500);
    const { command, io } = program(deps);
    await command.parseAsync(["redeliver", "--since", "2h"], { from: "user" });
    expect(io.out()).toBe("redelivered recent issues.opened (answered 500, 1 failed attempt)\n");
    expect(github.redeliveryRequests).toEqual([1]);
  });
});
