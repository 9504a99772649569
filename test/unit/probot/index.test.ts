import { describe, expect, it } from "@jest/globals";
import * as root from "hookwright";
import * as probot from "hookwright/probot";

describe("hookwright/probot", () => {
  it("exports what apps and their tests import from probot", () => {
    for (const name of [
      "Probot",
      "ProbotOctokit",
      "createProbot",
      "createNodeMiddleware",
      "run",
      "Server",
      "Context",
    ]) {
      expect(typeof (probot as Record<string, unknown>)[name]).toBe("function");
    }
  });

  it('is also the package\'s root export, for an npm alias ("probot": "npm:hookwright@…")', () => {
    for (const name of [
      "Probot",
      "ProbotOctokit",
      "createProbot",
      "createNodeMiddleware",
      "run",
      "Server",
      "Context",
    ]) {
      expect((root as Record<string, unknown>)[name]).toBe(
        (probot as Record<string, unknown>)[name],
      );
    }
  });
});
