import { describe, expect, it } from "@jest/globals";
import express from "express";
import request from "supertest";
import type { Setup } from "../../../src/setup/create-setup.js";
import { escapeHtml, setupPageHandler } from "../../../src/setup/setup-routes.js";
import { HookwrightError } from "../../../src/errors.js";
import { captureLogs } from "../../helpers/capture-logs.js";

function appWith(finish: Setup["finish"]) {
  const setup: Setup = { start: () => ({ action: "", manifest: "" }), finish };
  const app = express();
  app.get("/setup", setupPageHandler(setup, captureLogs().logger));
  return app;
}

describe("escapeHtml", () => {
  it("escapes the five characters that matter in text and quoted attributes", () => {
    expect(escapeHtml(`<a href="x" title='y'>&</a>`)).toBe(
      "&lt;a href=&quot;x&quot; title=&#39;y&#39;&gt;&amp;&lt;/a&gt;",
    );
  });
});

describe("setupPageHandler", () => {
  it("passes code and state on, and says to restart, with the app's name escaped", async () => {
    const seen: string[] = [];
    const app = appWith(async (code, state) => {
      seen.push(code, state);
      return {
        appId: 5,
        name: "<script>x</script>",
        htmlUrl: "https://github.com/apps/b",
        written: ["APP_ID"],
      };
    });
    const response = await request(app).get("/setup?code=c1&state=s1").expect(200);
    expect(seen).toEqual(["c1", "s1"]);
    expect(response.text).toContain("Restart the server");
    expect(response.text).toContain("https://github.com/apps/b/installations/new");
    expect(response.text).not.toContain("<script>x");
    expect(response.text).toContain("&lt;script&gt;x");
    expect(response.headers["cache-control"]).toBe("no-store");
  });

  it("answers a refused state with 400 and a failed conversion with 502, saying why", async () => {
    const bad = appWith(async () => {
      throw new HookwrightError("SETUP_STATE_INVALID");
    });
    expect((await request(bad).get("/setup?code=c&state=s")).status).toBe(400);
    const refused = appWith(async () => {
      throw new HookwrightError(
        "APP_REGISTRATION_FAILED",
        "GitHub refused the manifest code (404: Not Found)",
      );
    });
    const response = await request(refused).get("/setup?code=c&state=s");
    expect(response.status).toBe(502);
    expect(response.text).toContain("404: Not Found");
  });
});
