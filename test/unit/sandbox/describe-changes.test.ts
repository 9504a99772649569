import { describe, expect, it } from "@jest/globals";
import { describeChanges } from "../../../src/sandbox/describe-changes.js";
import type { RecordedCall } from "../../../src/fake-github/types.js";

function call(fields: Partial<RecordedCall>): RecordedCall {
  return {
    method: "POST",
    path: "/",
    headers: { "x-github-delivery": "d1", authorization: "token ghs_secretsecretsecretsecret" },
    body: undefined,
    status: 201,
    auth: { kind: "token", installationId: 1 },
    ...fields,
  };
}

describe("describeChanges", () => {
  it("lists the comments and labels one delivery wrote, and nothing of another delivery's", () => {
    const calls = [
      call({ path: "/repos/o/r/issues/3/comments", body: { body: "Thanks!" } }),
      call({ path: "/repos/o/r/issues/3/labels", body: { labels: ["triage", 7] }, status: 200 }),
      call({ path: "/repos/o/r/issues/4/labels", body: ["bug"], status: 200 }),
      call({
        path: "/repos/o/r/issues/9/comments",
        body: { body: "other" },
        headers: { "x-github-delivery": "d2" },
      }),
    ];
    expect(describeChanges(calls, "d1")).toEqual([
      { kind: "comment", repository: "o/r", issue: 3, body: "Thanks!" },
      { kind: "label", repository: "o/r", issue: 3, labels: ["triage"] },
      { kind: "label", repository: "o/r", issue: 4, labels: ["bug"] },
    ]);
  });

  it("skips reads, refused writes and token exchanges; other writes are listed by route", () => {
    const calls = [
      call({ method: "GET", path: "/repos/o/r", status: 200 }),
      call({ path: "/repos/o/r/issues/1/comments", status: 403 }),
      call({ path: "/app/installations/1/access_tokens" }),
      call({ method: "PATCH", path: "/repos/o/r/issues/1", status: 200 }),
    ];
    expect(describeChanges(calls, "d1")).toEqual([
      { kind: "write", method: "PATCH", path: "/repos/o/r/issues/1" },
    ]);
  });

  it("never copies a call's headers (they hold the token)", () => {
    const changes = describeChanges(
      [call({ path: "/repos/o/r/issues/1/comments", body: { body: "x" } })],
      "d1",
    );
    expect(JSON.stringify(changes)).not.toContain("ghs_");
  });
});
