import { describe, expect, it } from "@jest/globals";
import {
  addedCommandLines,
  findCommandLines,
  splitWords,
} from "../../../src/commands/parse-commands.js";
import { bindArgs, parseArgSpec } from "../../../src/commands/command-args.js";

describe("findCommandLines", () => {
  it("finds every command line of a comment, with its words", () => {
    const body = "Thanks!\r\n/label bug urgent\n  /Assign @alice\nnot /a command\n/close";
    expect(findCommandLines(body)).toEqual([
      { name: "label", argv: ["bug", "urgent"], line: "/label bug urgent" },
      { name: "assign", argv: ["@alice"], line: "/Assign @alice" },
      { name: "close", argv: [], line: "/close" },
    ]);
  });

  it("skips fenced and indented code, and quoted lines", () => {
    const body = [
      "```",
      "/label inside-fence",
      "~~~",
      "/label still-inside",
      "```",
      "    /label indented",
      "> /label quoted",
      "~~~~",
      "/label tilde-fence",
      "~~~~",
      "/label real",
    ].join("\n");
    expect(findCommandLines(body).map((line) => line.argv)).toEqual([["real"]]);
  });

  it("takes a configured prefix and ignores paths and bare prefixes", () => {
    expect(findCommandLines("!deploy prod\n/deploy staging\n!\n!9", "!")).toEqual([
      { name: "deploy", argv: ["prod"], line: "!deploy prod" },
    ]);
    expect(findCommandLines("/usr/bin/node\n/ label", "/")).toEqual([]);
    expect(findCommandLines(null)).toEqual([]);
  });

  it("keeps quoted phrases together", () => {
    expect(splitWords(`"needs review" 'good first issue' bug`)).toEqual([
      "needs review",
      "good first issue",
      "bug",
    ]);
  });
});

describe("addedCommandLines", () => {
  it("keeps only the lines an edit added, counting repeats", () => {
    const before = findCommandLines("/label bug\n/close");
    const after = findCommandLines("/label bug\n/label bug\n/close\n/label docs");
    expect(addedCommandLines(after, before).map((line) => line.line)).toEqual([
      "/label bug",
      "/label docs",
    ]);
  });
});

describe("command arguments", () => {
  it("binds words to required, optional and variadic arguments", () => {
    const specs = parseArgSpec("<user> [reason...]", "ban");
    expect(bindArgs(specs, ["alice", "spam", "again"])).toEqual({
      ok: true,
      args: { user: "alice", reason: ["spam", "again"] },
    });
    expect(bindArgs(specs, [])).toEqual({ ok: false, message: "missing <user>" });
    expect(bindArgs(parseArgSpec("<labels...>", "label"), [])).toEqual({
      ok: false,
      message: "missing <labels...>",
    });
    expect(bindArgs(parseArgSpec("", "close"), ["now"])).toEqual({
      ok: false,
      message: 'unexpected "now"',
    });
  });

  it("refuses a malformed usage when the plugin loads", () => {
    expect(() => parseArgSpec("<a...> <b>", "x")).toThrow(/only the last/);
    expect(() => parseArgSpec("[a] <b>", "x")).toThrow(/after an optional/);
    expect(() => parseArgSpec("<a]", "x")).toThrow(/is not/);
  });
});
