import { readFileSync } from "node:fs";
import { describe, expect, it } from "@jest/globals";
import { buildManifest, newAppUrl } from "../../../src/setup/build-manifest.js";

const APP_YML = readFileSync(new URL("../../../app.yml", import.meta.url), "utf8");
const OPTIONS = { webhookUrl: "https://smee.io/abc", redirectUrl: "http://localhost:3000/setup" };

describe("buildManifest", () => {
  it("takes the repository's app.yml events and permissions, and adds the webhook and redirect URLs", () => {
    const manifest = buildManifest(APP_YML, OPTIONS);
    expect(manifest).toMatchObject({
      name: "Hookwright App",
      url: "https://github.com/apps/hookwright-app",
      public: false,
      default_events: ["issues", "issue_comment", "pull_request", "push"],
      default_permissions: { metadata: "read", issues: "write" },
      hook_attributes: { url: "https://smee.io/abc" },
      redirect_url: "http://localhost:3000/setup",
    });
  });

  it("keeps hook_attributes given in app.yml, leaves out unknown keys, and defaults the homepage", () => {
    const manifest = buildManifest(
      "name: x\nhook_attributes:\n  active: false\nextra: 1\n",
      OPTIONS,
    );
    expect(manifest).toEqual({
      name: "x",
      hook_attributes: { active: false, url: "https://smee.io/abc" },
      redirect_url: "http://localhost:3000/setup",
      url: "http://localhost:3000",
    });
  });

  it.each([
    ["not YAML", "name: [unclosed"],
    ["not a mapping", "- a\n- b\n"],
  ])("refuses an app.yml that is %s", (_label, text) => {
    expect(() => buildManifest(text, OPTIONS)).toThrow(
      expect.objectContaining({ code: "APP_REGISTRATION_FAILED" }),
    );
  });
});

describe("newAppUrl", () => {
  it("points at the user's or the organization's new-app page, carrying the state", () => {
    expect(newAppUrl("https://github.com/", "s1")).toBe(
      "https://github.com/settings/apps/new?state=s1",
    );
    expect(newAppUrl("http://127.0.0.1:9/", "s 2", "my-org")).toBe(
      "http://127.0.0.1:9/organizations/my-org/settings/apps/new?state=s%202",
    );
  });
});
