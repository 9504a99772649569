import { describe, expect, it } from "@jest/globals";
import { readFileSync } from "node:fs";
import { createSignedDelivery, loadFixture, readFixture, signBody } from "hookwright/testing";

describe("fixtures", () => {
  it("loads a shipped fixture's bytes unchanged", () => {
    const url = new URL("../../../fixtures/webhooks/push.json", import.meta.url);
    expect(loadFixture("push").equals(readFileSync(url))).toBe(true);
  });

  it("lays overrides over a parsed fixture: objects merged, other values replaced", () => {
    const payload = readFixture<{ issue: { title: string; number: number; labels: unknown[] } }>(
      "issues.opened",
      { issue: { title: "New title", labels: [] } },
    );
    expect(payload.issue).toMatchObject({ title: "New title", number: 1, labels: [] });
  });

  it("builds a signed delivery from a fixture's exact bytes", () => {
    const delivery = createSignedDelivery({
      secret: "s",
      event: "issues.opened",
      fixture: "issues.opened",
    });
    expect(delivery.body.equals(loadFixture("issues.opened"))).toBe(true);
    expect(delivery.headers["x-github-event"]).toBe("issues");
    expect(delivery.headers["x-hub-signature-256"]).toBe(signBody("s", delivery.body));
  });
});
