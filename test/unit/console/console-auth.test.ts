import { describe, expect, it } from "@jest/globals";
import express from "express";
import request from "supertest";
import { CONSOLE_COOKIE, requireConsoleToken } from "../../../src/console/console-auth.js";

const TOKEN = "console-token-0123456789";

function appWith(token: string | undefined) {
  const app = express();
  app.get("/", requireConsoleToken(token), (_req, res) => void res.send("page"));
  app.get("/console/api/x", requireConsoleToken(token), (_req, res) => void res.json({ ok: true }));
  return app;
}

describe("requireConsoleToken", () => {
  it("lets everything through when no token is configured (sandbox)", async () => {
    await request(appWith(undefined)).get("/console/api/x").expect(200);
  });

  it("refuses a request without the token, or with a wrong one, with 401 UNAUTHORIZED", async () => {
    const app = appWith(TOKEN);
    const missing = await request(app).get("/console/api/x").expect(401);
    expect(missing.body.error.code).toBe("UNAUTHORIZED");
    await request(app).get("/console/api/x").set("authorization", "Bearer wrong").expect(401);
    await request(app).get("/").set("cookie", `${CONSOLE_COOKIE}=${TOKEN}x`).expect(401);
    await request(app).get(`/?token=nope`).expect(401);
  });

  it("accepts the token as a bearer header", async () => {
    await request(appWith(TOKEN))
      .get("/console/api/x")
      .set("authorization", `Bearer ${TOKEN}`)
      .expect(200);
  });

  it("turns /?token= into a strict HttpOnly cookie and a redirect that drops the token from the URL", async () => {
    const app = appWith(TOKEN);
    const first = await request(app).get(`/?token=${TOKEN}`).expect(303);
    expect(first.headers.location).toBe("/");
    const cookie = first.headers["set-cookie"]![0]!;
    expect(cookie).toMatch(/HttpOnly/);
    expect(cookie).toMatch(/SameSite=Strict/);
    const page = await request(app).get("/").set("cookie", cookie.split(";")[0]!).expect(200);
    expect(page.text).toBe("page");
  });
});
