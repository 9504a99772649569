import { describe, expect, it } from "@jest/globals";
import { Command } from "commander";
import { exitCodeFor } from "../../../../src/cli/exit-code.js";
import {
  addInstallationsCommand,
  installationsCommand,
} from "../../../../src/cli/commands/installations.js";
import type { HookwrightError } from "../../../../src/errors.js";
import { createFakeGitHub } from "../../../helpers/fake-github/index.js";
import { testKeys } from "../../../helpers/keys.js";
import { createManualClock } from "../../../helpers/manual-clock.js";
import { APP_ID, appEnv, captureIo } from "./capture-io.js";

function fakeWith(count: number) {
  const clock = createManualClock();
  const github = createFakeGitHub({ appId: APP_ID, publicKey: testKeys().publicKey, clock });
  for (let id = 1; id <= count; id++) {
    github.addInstallation({
      id,
      account: { login: `account-${id}`, type: id % 2 === 0 ? "User" : "Organization" },
      repositories: [`account-${id}/repo`],
      repositorySelection: id === 1 ? "all" : "selected",
      suspended: id === 2,
    });
  }
  return { github, deps: { fetch: github.fetch, clock } };
}

describe("installationsCommand", () => {
  it("prints a table of every installation with its account, type, selection and suspension", async () => {
    const { deps } = fakeWith(3);
    const io = captureIo(appEnv());
    await installationsCommand({}, io, deps);
    const lines = io.out().trimEnd().split("\n");
    expect(lines).toHaveLength(4);
    expect(lines[0]!.split(/\s+/)).toEqual(["ID", "ACCOUNT", "TYPE", "REPOSITORIES", "SUSPENDED"]);
    expect(lines[1]!.split(/\s+/)).toEqual(["1", "account-1", "Organization", "all", "no"]);
    expect(lines[2]!.split(/\s+/)).toEqual(["2", "account-2", "User", "selected", "yes"]);
    // Columns line up: every row's second column starts where the heading's does.
    const column = lines[0]!.indexOf("ACCOUNT");
    for (const line of lines.slice(1)) expect(line.indexOf("account-")).toBe(column);
  });

  it("follows every page with --json, each entry with id, account, target type, selection, suspended", async () => {
    const { github, deps } = fakeWith(101);
    const io = captureIo(appEnv());
    await installationsCommand({ json: true }, io, deps);
    const list = JSON.parse(io.out()) as Record<string, unknown>[];
    expect(list).toHaveLength(101);
    expect(list[1]).toEqual({
      id: 2,
      account: "account-2",
      target_type: "User",
      repository_selection: "selected",
      suspended: true,
    });
    expect(list[100]?.id).toBe(101);
    const pages = github.callsTo("GET", /^\/app\/installations/);
    expect(pages).toHaveLength(2);
    expect(pages.every((call) => call.auth.kind === "jwt")).toBe(true);
  });

  it("says so on stderr, leaving stdout empty, when the app has no installations", async () => {
    const { deps } = fakeWith(0);
    const io = captureIo(appEnv());
    await installationsCommand({}, io, deps);
    expect(io.out()).toBe("");
    expect(io.err()).toMatch(/no installations yet/);
  });

  it("exits 2 saying the clock is off when the JWT is refused and GitHub's Date is an hour away", async () => {
    const clock = createManualClock(Date.UTC(2026, 0, 1, 1));
    const github = createFakeGitHub({
      appId: APP_ID,
      publicKey: testKeys().publicKey,
      clock: createManualClock(Date.UTC(2026, 0, 1)),
    });
    github.failNext({ path: /^\/app\/installations/ }, { status: 401 }, 2);
    const error = await installationsCommand({}, captureIo(appEnv()), {
      fetch: github.fetch,
      clock,
    }).then(
      () => undefined,
      (caught: unknown) => caught as HookwrightError,
    );
    expect(error?.message).toMatch(/clock is off by 3600 seconds \(ahead of GitHub's\)/);
    expect(exitCodeFor(error)).toBe(2);
  });

  it("is registered with --json and a description for --help", () => {
    const program = new Command();
    addInstallationsCommand(program, captureIo({}));
    const command = program.commands.find((candidate) => candidate.name() === "installations");
    expect(command?.helpInformation()).toMatch(/--json/);
  });
});
