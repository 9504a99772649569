import { describe, expect, it } from "@jest/globals";
import { toForwardedRequest } from "../../../src/tunnel/to-forwarded-request.js";

const BODY = '{"action":"opened","issue":{"title":"caf\\u00e9 </b>"}}';

function message(extra: Record<string, unknown>): string {
  return JSON.stringify({
    host: "smee.io",
    "content-type": "application/json",
    "content-length": "999",
    "x-github-event": "issues",
    "x-github-delivery": "d1",
    "x-hub-signature-256": "sha256=ab",
    "x-forwarded-for": "1.2.3.4",
    query: { a: "1" },
    timestamp: 1,
    ...extra,
  });
}

describe("toForwardedRequest", () => {
  it("uses smee's raw body byte for byte when the server keeps it", () => {
    const forwarded = toForwardedRequest(message({ body: JSON.parse(BODY), rawdata: BODY }))!;
    expect(forwarded.body).toBe(BODY);
  });

  it("serialises the payload compactly when there is no raw body", () => {
    const forwarded = toForwardedRequest(message({ body: { action: "opened", n: [1, 2] } }))!;
    expect(forwarded.body).toBe('{"action":"opened","n":[1,2]}');
  });

  it("passes GitHub's headers on, and neither smee's fields nor hop-by-hop headers", () => {
    const forwarded = toForwardedRequest(message({ body: {} }))!;
    expect(forwarded.headers).toEqual({
      "content-type": "application/json",
      "x-github-event": "issues",
      "x-github-delivery": "d1",
      "x-hub-signature-256": "sha256=ab",
    });
  });

  it("encodes a form delivery as payload= again", () => {
    const forwarded = toForwardedRequest(
      message({
        "content-type": "application/x-www-form-urlencoded",
        body: { payload: '{"a":"b c"}' },
      }),
    )!;
    expect(forwarded.body).toBe("payload=%7B%22a%22%3A%22b+c%22%7D");
    expect(forwarded.headers["content-type"]).toBe("application/x-www-form-urlencoded");
  });

  it("ignores messages that are not deliveries", () => {
    expect(toForwardedRequest("{}")).toBeUndefined();
    expect(toForwardedRequest("not json")).toBeUndefined();
    expect(toForwardedRequest("null")).toBeUndefined();
  });
});
