import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "@jest/globals";
import { createSignedDelivery, loadFixture, signBody } from "../helpers/signed-delivery.js";

describe("signBody", () => {
  it("matches GitHub's documented test vector", () => {
    // https://docs.github.com/en/webhooks/using-webhooks/validating-webhook-deliveries#testing-the-webhook-payload-validation
    expect(signBody("It's a Secret to Everybody", "Hello, World!")).toBe(
      "sha256=757107ea0eb2509fc211221cce984b8a37570b6d7586c22c46f4379c8b043e17",
    );
    expect(signBody("It's a Secret to Everybody", Buffer.from("Hello, World!"))).toBe(
      "sha256=757107ea0eb2509fc211221cce984b8a37570b6d7586c22c46f4379c8b043e17",
    );
  });
});

describe("createSignedDelivery", () => {
  it("builds GitHub's headers and signs the JSON body", () => {
    const delivery = createSignedDelivery({
      secret: "s3cret",
      event: "issues.opened",
      payload: { action: "opened", issue: { number: 1 } },
    });
    expect(delivery.body.toString()).toBe('{"action":"opened","issue":{"number":1}}');
    expect(delivery.headers).toEqual({
      "content-type": "application/json",
      "x-github-event": "issues",
      "x-github-delivery": delivery.id,
      "x-hub-signature-256": signBody("s3cret", delivery.body),
      "user-agent": "GitHub-Hookshot/test",
    });
    expect(delivery.id).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/);
  });

  it("keeps raw bytes exactly and uses a given delivery id", () => {
    const rawBody = Buffer.from('{ "action" : "opened",\n  "zeta": "\\u00e9" }\n');
    const delivery = createSignedDelivery({ secret: "s", event: "issues", rawBody, id: "abc" });
    expect(delivery.body.equals(rawBody)).toBe(true);
    expect(delivery.headers["x-github-delivery"]).toBe("abc");
  });

  it("form-encodes as payload= and signs the encoded bytes", () => {
    const payload = { action: "opened", text: "a b&c=é" };
    const delivery = createSignedDelivery({
      secret: "s",
      event: "issues",
      payload,
      contentType: "application/x-www-form-urlencoded",
    });
    expect(delivery.headers["content-type"]).toBe("application/x-www-form-urlencoded");
    expect(delivery.body.toString()).toMatch(/^payload=%7B/);
    expect(delivery.headers["x-hub-signature-256"]).toBe(signBody("s", delivery.body));
    const decoded = new URLSearchParams(delivery.body.toString()).get("payload");
    expect(JSON.parse(decoded ?? "")).toEqual(payload);
  });
});

describe("loadFixture", () => {
  it("reads <name>.json as unmodified bytes", () => {
    const dir = mkdtempSync(join(tmpdir(), "hookwright-fixtures-"));
    try {
      const bytes = Buffer.from('{"a":1}\r\n\t', "utf8");
      writeFileSync(join(dir, "issues.opened.json"), bytes);
      expect(loadFixture("issues.opened", dir).equals(bytes)).toBe(true);
      expect(loadFixture("issues.opened.json", dir).equals(bytes)).toBe(true);
      expect(() => loadFixture("missing", dir)).toThrow(/ENOENT/);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
