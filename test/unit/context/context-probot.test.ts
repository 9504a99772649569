import { describe, expect, it } from "@jest/globals";
import { readFixture } from "hookwright/testing";
import { Context } from "../../../src/context/context.js";
import { callableLog } from "../../../src/context/callable-log.js";
import type { Octokit } from "../../../src/github/octokit.js";
import { captureLogs } from "../../helpers/capture-logs.js";

// Context's Probot members: the old names, the callable logger, Probot's constructor.
const event = { id: "d-1", name: "issues", payload: readFixture("issues.opened") } as const;
const octokit = { marker: "octokit" } as unknown as Octokit;

describe("Context, Probot's members", () => {
  it("context.github is context.octokit, with one deprecation warning per process", () => {
    const logs = captureLogs();
    const make = () =>
      new Context({ event: event as never, octokit: () => octokit, log: logs.logger });
    expect(make().github).toBe(octokit);
    expect(make().github).toBe(octokit);
    const warnings = logs.records().filter((record) => record.deprecated === "context.github");
    expect(warnings).toEqual([
      expect.objectContaining({
        level: 40,
        msg: "context.github is deprecated, use context.octokit",
      }),
    ]);
  });

  it("context.event is Probot ≤ 10's name for context.name", () => {
    const context = new Context({
      event: event as never,
      octokit: () => octokit,
      log: captureLogs().logger,
    });
    expect(context.event).toBe("issues");
  });

  it("context.protocol, .host and .url are undefined, as Probot 9 left them outside HTTP", () => {
    const context = new Context(event as never, octokit, captureLogs().logger) as unknown as Record<
      string,
      unknown
    >;
    expect([context.protocol, context.host, context.url]).toEqual([
      undefined,
      undefined,
      undefined,
    ]);
  });

  it("context.log can be called (info) and used as the logger", () => {
    const logs = captureLogs();
    const context = new Context({
      event: event as never,
      octokit: () => octokit,
      log: logs.logger,
    });
    context.log("called");
    context.log({ n: 1 }, "with fields");
    context.log.error("as logger");
    context.log.child({ step: 2 }).info("child");
    expect(logs.records().map((record) => [record.level, record.msg])).toEqual([
      [30, "called"],
      [30, "with fields"],
      [50, "as logger"],
      [30, "child"],
    ]);
    expect(logs.records()[3]).toMatchObject({ step: 2 });
  });

  it("takes Probot's constructor form, new Context(event, octokit, log)", () => {
    const logs = captureLogs();
    const context = new Context(event as never, octokit, logs.logger);
    expect(context.octokit).toBe(octokit);
    expect(context.issue()).toMatchObject({ owner: "Codertocat", issue_number: 1 });
    context.log.info("probot form");
    expect(logs.records()).toHaveLength(1);
  });

  it("a callable logger keeps the logger's level and settings", () => {
    const logs = captureLogs();
    const log = callableLog(logs.logger);
    log.level = "error";
    log("dropped");
    log.error("kept");
    expect(logs.logger.level).toBe("error");
    expect(logs.records().map((record) => record.msg)).toEqual(["kept"]);
    expect(typeof log).toBe("function");
  });
});
