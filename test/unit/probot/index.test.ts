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
      "Application",
      "Octokit",
      "ProbotOctokitCore",
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
      "Application",
      "ProbotOctokitCore",
    ]) {
      expect((root as Record<string, unknown>)[name]).toBe(
        (probot as Record<string, unknown>)[name],
      );
    }
  });

  it("names Probot 9's Octokit and Probot 11's ProbotOctokitCore as ProbotOctokit", () => {
    expect(probot.Octokit).toBe(probot.ProbotOctokit);
    expect(probot.ProbotOctokitCore).toBe(probot.ProbotOctokit);
    // The root's Octokit is Hookwright's client, which ProbotOctokit extends.
    expect(new probot.ProbotOctokit()).toBeInstanceOf(root.Octokit);
  });
});
