import { describe, expect, it } from "@jest/globals";
import {
  expectCall,
  expectNoCall,
  findCalls,
  matchesPartial,
  writes,
} from "../../../src/fake-github/assertions.js";
import type { RecordedCall } from "../../../src/fake-github/types.js";

function call(method: string, path: string, body?: unknown): RecordedCall {
  return { method, path, body, status: 200, headers: {}, auth: { kind: "token" } };
}

const CALLS = [
  call("POST", "/app/installations/1/access_tokens"),
  call("GET", "/repos/octo/hello/contents/.github%2Fbot.yml?ref=main"),
  call("POST", "/repos/octo/hello/issues/7/comments", { body: "Thanks, @ada!" }),
  call("POST", "/repos/octo/hello/issues/7/labels", { labels: ["bug", "ui"] }),
];

describe("call assertions", () => {
  it("matches {placeholders} to one segment, {path} to several, ignoring the query", () => {
    expect(
      findCalls(CALLS, "POST /repos/{owner}/{repo}/issues/{issue_number}/comments"),
    ).toHaveLength(1);
    expect(findCalls(CALLS, "GET /repos/{owner}/{repo}/contents/{path}")).toHaveLength(1);
    expect(findCalls(CALLS, "GET /repos/octo/hello/contents/.github/bot.yml")).toHaveLength(1);
    expect(findCalls(CALLS, "GET /repos/{owner}/{repo}/issues/{issue_number}/comments")).toEqual(
      [],
    );
    expect(findCalls(CALLS, "POST /repos/{owner}/{repo}/issues/{issue_number}")).toEqual([]);
  });

  it("matches bodies by contained keys, whole lists and RegExps", () => {
    expect(matchesPartial({ a: 1, b: { c: 2, d: 3 } }, { b: { c: 2 } })).toBe(true);
    expect(matchesPartial({ labels: ["bug", "ui"] }, { labels: ["bug"] })).toBe(false);
    expect(matchesPartial({ body: "Thanks, @ada!" }, { body: /@ada/ })).toBe(true);
    expect(matchesPartial({ body: 3 }, { body: /3/ })).toBe(false);
    expect(matchesPartial(undefined, {})).toBe(false);
  });

  it("expectCall returns the call, or throws listing every call made", () => {
    const route = "POST /repos/{owner}/{repo}/issues/{issue_number}/labels";
    expect(expectCall(CALLS, route, { labels: ["bug", "ui"] })).toBe(CALLS[3]);
    expect(() => expectCall(CALLS, route, { labels: ["bug"] })).toThrow(
      /expected a call to .* with \{"labels":\["bug"\]\}; the calls made were:\n.*access_tokens.*\n.*contents/,
    );
    expect(() => expectCall([], route)).toThrow("(no calls were made)");
  });

  it("expectNoCall throws only when a matching call exists", () => {
    expect(() =>
      expectNoCall(CALLS, "DELETE /repos/{owner}/{repo}/issues/{n}/labels/{name}"),
    ).not.toThrow();
    expect(() => expectNoCall(CALLS, "POST /repos/{owner}/{repo}/issues/{n}/comments")).toThrow(
      /expected no call to POST .*comments; found:\n {2}POST \/repos\/octo\/hello\/issues\/7\/comments/,
    );
  });

  it("writes() leaves out reads and token exchanges", () => {
    expect(writes(CALLS)).toEqual([CALLS[2], CALLS[3]]);
  });
});
