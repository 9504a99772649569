import { describe, expect, it } from "@jest/globals";
import { verifySignature } from "../../../src/webhooks/verify-signature.js";
import { loadFixture, signBody } from "../../helpers/signed-delivery.js";

// https://docs.github.com/en/webhooks/using-webhooks/validating-webhook-deliveries#testing-the-webhook-payload-validation
const DOC_SECRET = "It's a Secret to Everybody";
const DOC_BODY = Buffer.from("Hello, World!");
const DOC_SIGNATURE = "sha256=757107ea0eb2509fc211221cce984b8a37570b6d7586c22c46f4379c8b043e17";

describe("verifySignature", () => {
  it("accepts GitHub's documented test vector", () => {
    expect(verifySignature([DOC_SECRET], DOC_BODY, DOC_SIGNATURE)).toBe(true);
  });

  it("rejects the documented signature under another secret or for another body", () => {
    expect(verifySignature(["another secret"], DOC_BODY, DOC_SIGNATURE)).toBe(false);
    expect(verifySignature([DOC_SECRET], Buffer.from("Hello, World?"), DOC_SIGNATURE)).toBe(false);
  });

  it("verifies the raw bytes: the same JSON re-serialised no longer matches", () => {
    const raw = loadFixture("issues.opened");
    const signature = signBody("s3cret", raw);
    expect(verifySignature(["s3cret"], raw, signature)).toBe(true);
    const reserialised = Buffer.from(JSON.stringify(JSON.parse(raw.toString("utf8")), null, 2));
    expect(reserialised.equals(raw)).toBe(false);
    expect(verifySignature(["s3cret"], reserialised, signature)).toBe(false);
  });

  it("accepts a signature made with any configured secret, so the previous one works while rotating", () => {
    const signedWithPrevious = signBody("old-secret", DOC_BODY);
    expect(verifySignature(["new-secret", "old-secret"], DOC_BODY, signedWithPrevious)).toBe(true);
    expect(verifySignature(["new-secret"], DOC_BODY, signedWithPrevious)).toBe(false);
  });

  it("rejects everything when no secret is configured", () => {
    expect(verifySignature([], DOC_BODY, DOC_SIGNATURE)).toBe(false);
  });

  const hex = DOC_SIGNATURE.slice("sha256=".length);
  it.each([
    ["a sha1 prefix", `sha1=${hex}`],
    ["a sha512 prefix", `sha512=${hex}`],
    ["no prefix", hex],
    ["a short digest", DOC_SIGNATURE.slice(0, -2)],
    ["a long digest", `${DOC_SIGNATURE}00`],
    ["non-hex characters", `sha256=${"z".repeat(64)}`],
    ["surrounding space", ` ${DOC_SIGNATURE}`],
    ["an empty header", ""],
  ])("rejects %s", (_case, header) => {
    expect(verifySignature([DOC_SECRET], DOC_BODY, header)).toBe(false);
  });
});
