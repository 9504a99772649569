import { describe, expect, it } from "@jest/globals";
import { fakeWithClient, HELLO } from "../../helpers/fake-github-client.js";
import { createManualClock } from "../../helpers/manual-clock.js";

const SHA = "c".repeat(40);

describe("fake GitHub: check runs and suites", () => {
  it("creates a queued run, completes it on update, and lists it for its sha and suite", async () => {
    const clock = createManualClock();
    const { github, octokit } = fakeWithClient({ clock });
    const { data: run, status } = await octokit.rest.checks.create({
      ...HELLO,
      name: "lint",
      head_sha: SHA,
    });
    expect(status).toBe(201);
    expect(run).toMatchObject({ status: "queued", conclusion: null, completed_at: null });
    clock.advance(5000);
    const { data: done } = await octokit.rest.checks.update({
      ...HELLO,
      check_run_id: Number(run.id),
      conclusion: "failure",
      output: { title: "2 problems", summary: "see below" },
    });
    expect(done).toMatchObject({
      status: "completed",
      conclusion: "failure",
      output: { title: "2 problems", summary: "see below" },
    });
    expect(Date.parse(done.completed_at ?? "")).toBe(clock.now() - (clock.now() % 1000));
    expect(github.records.checkRuns).toHaveLength(1);

    const { data: forRef } = await octokit.rest.checks.listForRef({ ...HELLO, ref: SHA });
    expect(forRef).toMatchObject({ total_count: 1, check_runs: [{ id: run.id }] });
    const { data: suites } = await octokit.rest.checks.listSuitesForRef({ ...HELLO, ref: SHA });
    expect(suites).toMatchObject({
      total_count: 1,
      check_suites: [{ id: run.check_suite?.id, status: "completed", conclusion: "failure" }],
    });
    const { data: inSuite } = await octokit.rest.checks.listForSuite({
      ...HELLO,
      check_suite_id: run.check_suite?.id ?? 0,
    });
    expect(inSuite.check_runs.map((each) => each.name)).toEqual(["lint"]);
  });

  it("finds a pull request's runs by its head branch", async () => {
    const { octokit } = fakeWithClient({
      repositories: {
        "octo/hello": {
          pulls: [{ title: "x", head: "feature", commits: [{ message: "m", sha: SHA }] }],
        },
      },
    });
    await octokit.rest.checks.create({
      ...HELLO,
      name: "test",
      head_sha: SHA,
      status: "in_progress",
    });
    const { data } = await octokit.rest.checks.listForRef({ ...HELLO, ref: "feature" });
    expect(data.check_runs.map((run) => run.status)).toEqual(["in_progress"]);
  });

  it("answers 422 without a head_sha, or completed without a conclusion, and 403 without checks permission", async () => {
    const { octokit } = fakeWithClient();
    await expect(
      octokit.request("POST /repos/octo/hello/check-runs", { name: "x" }),
    ).rejects.toMatchObject({ status: 422 });
    await expect(
      octokit.rest.checks.create({ ...HELLO, name: "x", head_sha: SHA, status: "completed" }),
    ).rejects.toMatchObject({ status: 422 });
    const narrow = fakeWithClient({ permissions: { metadata: "read", issues: "write" } });
    await expect(
      narrow.octokit.rest.checks.create({ ...HELLO, name: "x", head_sha: SHA }),
    ).rejects.toMatchObject({ status: 403 });
  });
});
