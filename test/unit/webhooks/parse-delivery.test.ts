import { describe, expect, it } from "@jest/globals";
import { HookwrightError } from "../../../src/errors.js";
import { parseDelivery, type Headers } from "../../../src/webhooks/parse-delivery.js";
import { createSignedDelivery, loadFixture, signBody } from "../../helpers/signed-delivery.js";

const SECRET = "parse-secret";
const GUID = "72d3162e-cc78-11e3-81ab-4c9367dc0958";

function errorOf(run: () => unknown): HookwrightError {
  try {
    run();
  } catch (error) {
    expect(error).toBeInstanceOf(HookwrightError);
    return error as HookwrightError;
  }
  throw new Error("expected parseDelivery to throw");
}

function signed(body: string, headers: Headers = {}) {
  return {
    headers: {
      "content-type": "application/json",
      "x-github-event": "issues",
      "x-github-delivery": GUID,
      "x-hub-signature-256": signBody(SECRET, body),
      ...headers,
    } as Headers,
    body: Buffer.from(body),
  };
}

describe("parseDelivery", () => {
  it("returns the id, event name and payload of a signed JSON delivery", () => {
    const raw = loadFixture("issues.opened");
    const delivery = createSignedDelivery({ secret: SECRET, event: "issues", rawBody: raw });
    const parsed = parseDelivery(delivery.headers, delivery.body, [SECRET]);
    expect(parsed).toEqual({
      id: delivery.id,
      name: "issues",
      payload: JSON.parse(raw.toString("utf8")),
    });
  });

  it("reads the JSON from the payload field of a form-encoded delivery, verified over the form bytes", () => {
    const raw = loadFixture("issues.opened");
    const delivery = createSignedDelivery({
      secret: SECRET,
      event: "issues",
      rawBody: raw,
      contentType: "application/x-www-form-urlencoded",
    });
    expect(delivery.body.toString("utf8")).toMatch(/^payload=/);
    const parsed = parseDelivery(delivery.headers, delivery.body, [SECRET]);
    expect(parsed.payload).toEqual(JSON.parse(raw.toString("utf8")));
  });

  it("accepts a charset parameter and any case in the content type", () => {
    const { headers, body } = signed('{"a":1}', {
      "content-type": "Application/JSON; charset=utf-8",
    });
    expect(parseDelivery(headers, body, [SECRET]).payload).toEqual({ a: 1 });
  });

  it("checks the media type first, then headers and their form, then the signature, then the JSON", () => {
    // Everything is wrong; each fix reveals the next check.
    const request: Headers = { "content-type": "text/plain" };
    const body = Buffer.from("not json");
    expect(errorOf(() => parseDelivery(request, body, [SECRET])).code).toBe(
      "UNSUPPORTED_MEDIA_TYPE",
    );
    request["content-type"] = "application/json";
    expect(errorOf(() => parseDelivery(request, body, [SECRET])).code).toBe("MISSING_HEADER");
    Object.assign(request, {
      "x-github-event": "issues",
      "x-github-delivery": "d-1",
      "x-hub-signature-256": signBody("wrong", body),
    });
    expect(errorOf(() => parseDelivery(request, body, [SECRET])).code).toBe("INVALID_HEADER");
    request["x-github-delivery"] = GUID;
    expect(errorOf(() => parseDelivery(request, body, [SECRET])).code).toBe("SIGNATURE_MISMATCH");
    request["x-hub-signature-256"] = signBody(SECRET, body);
    const invalid = errorOf(() => parseDelivery(request, body, [SECRET]));
    expect(invalid.code).toBe("INVALID_PAYLOAD");
  });

  it("refuses a missing content type as unsupported", () => {
    const { headers, body } = signed("{}", { "content-type": undefined });
    expect(errorOf(() => parseDelivery(headers, body, [SECRET])).code).toBe(
      "UNSUPPORTED_MEDIA_TYPE",
    );
  });

  it.each([
    ["x-github-event", "X-GitHub-Event"],
    ["x-github-delivery", "X-GitHub-Delivery"],
    ["x-hub-signature-256", "X-Hub-Signature-256"],
  ])("names the missing %s header in the message", (name, shown) => {
    const { headers, body } = signed("{}", { [name]: undefined });
    const error = errorOf(() => parseDelivery(headers, body, [SECRET]));
    expect(error.code).toBe("MISSING_HEADER");
    expect(error.message).toContain(shown);
    for (const other of ["X-GitHub-Event", "X-GitHub-Delivery", "X-Hub-Signature-256"]) {
      if (other !== shown) expect(error.message).not.toContain(other);
    }
  });

  it("rejects a body changed after signing", () => {
    const { headers } = signed('{"a":1}');
    const error = errorOf(() => parseDelivery(headers, Buffer.from('{"a":2}'), [SECRET]));
    expect(error.code).toBe("SIGNATURE_MISMATCH");
  });

  it("accepts a delivery signed with the previous secret", () => {
    const { headers, body } = signed('{"a":1}');
    expect(parseDelivery(headers, body, ["new-secret", SECRET]).payload).toEqual({ a: 1 });
  });

  it.each([
    ["a JSON array", "[1,2]"],
    ["JSON null", "null"],
    ["a JSON string", '"text"'],
    ["a JSON number", "42"],
    ["not JSON", "{oops"],
    ["an empty body", ""],
  ])("rejects a signed body that is %s as INVALID_PAYLOAD", (_case, text) => {
    const { headers, body } = signed(text);
    const error = errorOf(() => parseDelivery(headers, body, [SECRET]));
    expect(error.code).toBe("INVALID_PAYLOAD");
  });

  it("rejects a signed form body without a payload field as INVALID_PAYLOAD", () => {
    const { headers, body } = signed("other=1", {
      "content-type": "application/x-www-form-urlencoded",
    });
    expect(errorOf(() => parseDelivery(headers, body, [SECRET])).code).toBe("INVALID_PAYLOAD");
  });

  it.each([
    ["__proto__"],
    ["constructor"],
    ["hasOwnProperty"],
    ["toString"],
    ["error"],
    ["Issues"],
    ["issues.opened"],
    ["issues, push"],
    ["pull-request"],
    ["x".repeat(65)],
  ])("refuses the event name %j as INVALID_HEADER before checking the signature", (event) => {
    // Unsigned: the form is checked first, so a stranger's name never reaches a lookup.
    const { headers, body } = signed("{}", { "x-github-event": event, "x-hub-signature-256": "x" });
    const error = errorOf(() => parseDelivery(headers, body, [SECRET]));
    expect(error.code).toBe("INVALID_HEADER");
    expect(error.message).toContain("X-GitHub-Event");
    expect(error.message).not.toContain(event);
  });

  it.each([["pull_request_review_comment"], ["ping"], ["github_app_authorization"]])(
    "accepts GitHub's event name %s",
    (event) => {
      const { headers, body } = signed("{}", { "x-github-event": event });
      expect(parseDelivery(headers, body, [SECRET]).name).toBe(event);
    },
  );

  it.each([["d-1"], ["x".repeat(16_000)], [`${GUID}\n`], [`${GUID}0`], ["{guid}"]])(
    "refuses a delivery id that is not a GUID (%#) without echoing it",
    (id) => {
      const { headers, body } = signed("{}", { "x-github-delivery": id });
      const error = errorOf(() => parseDelivery(headers, body, [SECRET]));
      expect(error.code).toBe("INVALID_HEADER");
      expect(error.message).toBe("X-GitHub-Delivery is not a GUID");
    },
  );

  it("accepts an upper-case GUID", () => {
    const { headers, body } = signed("{}", { "x-github-delivery": GUID.toUpperCase() });
    expect(parseDelivery(headers, body, [SECRET]).id).toBe(GUID.toUpperCase());
  });
});
