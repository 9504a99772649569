import { describe, expect, it } from "@jest/globals";
import {
  renderCheckSuite,
  renderIssue,
  renderLabel,
} from "../../../src/fake-github/render-records.js";
import { createFakeState } from "../../../src/fake-github/state.js";
import type { FakeCheckRun, FakeIssue } from "../../../src/fake-github/types-records.js";
import { createManualClock } from "../../helpers/manual-clock.js";

function scope() {
  return { state: createFakeState(1, createManualClock(), 3600), apiBase: "http://h/api/v3" };
}

const issue: FakeIssue = {
  repo: "o/r",
  number: 3,
  title: "t",
  body: null,
  state: "open",
  user: "mona",
  assignees: [],
  createdAt: 0,
  updatedAt: 0,
  closedAt: null,
};

function run(status: string, conclusion: string | null): FakeCheckRun {
  return {
    id: 1,
    repo: "o/r",
    name: "x",
    headSha: "s",
    status,
    conclusion,
    externalId: null,
    detailsUrl: null,
    output: { title: null, summary: null, text: null },
    startedAt: 0,
    completedAt: null,
    suiteId: 9,
  };
}

describe("rendering the fake's records as GitHub does", () => {
  it("marks a pull request's issue with pull_request links, on the client's base URL", () => {
    const plain = renderIssue(scope(), issue) as Record<string, unknown>;
    expect(plain).not.toHaveProperty("pull_request");
    expect(plain.url).toBe("http://h/api/v3/repos/o/r/issues/3");
    const pull = renderIssue(scope(), {
      ...issue,
      pull: { head: "h", base: "main", draft: false, merged: false, commits: [] },
    });
    expect(pull).toMatchObject({
      html_url: "https://github.com/o/r/pull/3",
      pull_request: { url: "http://h/api/v3/repos/o/r/pulls/3" },
    });
  });

  it("gives a label the same id whatever its case, with its defined colour", () => {
    const s = scope();
    s.state.records.ensureLabel("o/r", "Bug").color = "ff0000";
    expect(renderLabel(s, "o/r", "bug")).toMatchObject({ name: "Bug", color: "ff0000" });
    expect(renderLabel(s, "o/r", "BUG")).toHaveProperty(
      "id",
      (renderLabel(s, "o/r", "bug") as { id: number }).id,
    );
  });

  it("concludes a suite only when every run completed, with the first conclusion that is not success", () => {
    expect(
      renderCheckSuite(scope(), [run("completed", "success"), run("queued", null)], 9),
    ).toMatchObject({ status: "in_progress", conclusion: null });
    expect(
      renderCheckSuite(scope(), [run("completed", "success"), run("completed", "neutral")], 9),
    ).toMatchObject({ status: "completed", conclusion: "neutral" });
  });
});
