import { afterEach, describe, expect, it } from "@jest/globals";
import request from "supertest";
import { createTestApp, readFixture, type TestApp } from "hookwright/testing";
import type { App, PluginOptions } from "../../../src/index.js";

// The Probot members every plugin's `app` has, through the real pipeline (`hookwright run`'s).
let app: TestApp;
afterEach(() => app.close());

const REPO = "Codertocat/Hello-World";

describe("a plugin's app, Probot's members", () => {
  it("receive() runs every plugin's handlers for an event the app makes up (probot-scheduler)", async () => {
    const seen: unknown[] = [];
    let bot!: App;
    const scheduler = (given: App) => void (bot = given);
    const stale = (given: App) =>
      given.on(
        "schedule.repository" as never,
        async (context: { payload: unknown; id: string }) => {
          seen.push(context.payload);
        },
      );
    app = await createTestApp([scheduler, stale], { repositories: [REPO] });
    const payload = { action: "repository", installation: { id: 1 }, repository: { name: "x" } };
    await bot.receive({ name: "schedule", payload });
    await bot.receive({ event: "schedule", payload, id: "given" });
    expect(seen).toEqual([payload, payload]);
  });

  it("receive() rejects when a handler failed, and without a name", async () => {
    let bot!: App;
    app = await createTestApp((given: App) => {
      bot = given;
      given.on("issues.opened", () => {
        throw new Error("nope");
      });
    });
    await expect(
      bot.receive({ id: "1", name: "issues", payload: readFixture("issues.opened") }),
    ).rejects.toThrow("nope");
    expect(() => bot.receive({ payload: {} })).toThrow(/needs the event's name/);
  });

  it("load() calls more app functions with the same app and options", async () => {
    const got: unknown[] = [];
    let outer: App | undefined;
    let outerOptions: PluginOptions | undefined;
    app = await createTestApp(async (given: App, options: PluginOptions) => {
      outer = given;
      outerOptions = options;
      await given.load([(a: App, o: PluginOptions) => void got.push(a, o)]);
    });
    expect(got).toEqual([outer, outerOptions]);
    await expect(outer!.load("./other.js")).rejects.toMatchObject({
      code: "PROBOT_API_UNSUPPORTED",
    });
  });

  it("load() and webhooks go through a wrapper around the app (the delivery console's)", async () => {
    const marked: string[] = [];
    let loadedWith: unknown;
    let wrapped!: App;
    app = await createTestApp((given: App) => {
      wrapped = new Proxy(given, {
        get(target, property, receiver) {
          if (property === "on") {
            return (name: never, handler: never) => {
              marked.push(String(name));
              return target.on(name, handler);
            };
          }
          return Reflect.get(target, property, receiver) as unknown;
        },
      });
    });
    wrapped.webhooks.on("issues.opened", () => {});
    await wrapped.load((inner: App) => void (loadedWith = inner));
    expect(marked).toEqual(["issues.opened"]);
    expect(loadedWith).toBe(wrapped);
  });

  it("route(), router and options.addHandler serve the plugin's HTTP routes", async () => {
    app = await createTestApp((given: App, options: PluginOptions) => {
      given.route("/legacy").get("/status", (_req, res) => void res.json({ route: true }));
      (given as unknown as { router: ReturnType<App["route"]> }).router.get(
        "/root-router",
        (_req, res) => void res.json({ router: true }),
      );
      options.addHandler((req, res) => {
        if (req.url !== "/handler") return false;
        res.end("handled");
        return true;
      });
    });
    const server = app.hookwright.express;
    expect((await request(server).get("/legacy/status")).body).toEqual({ route: true });
    expect((await request(server).get("/root-router")).body).toEqual({ router: true });
    expect((await request(server).get("/handler")).text).toBe("handled");
    expect((await request(server).get("/none")).status).toBe(404);
  });

  it("log is callable; webhooks, version and ready() are Probot's", async () => {
    let bot!: App;
    const seen: string[] = [];
    app = await createTestApp((given: App) => {
      bot = given;
      given.log("loaded");
      given.webhooks.on("issues.opened", () => void seen.push("via webhooks"));
    });
    await app.receive("issues.opened");
    expect(seen).toEqual(["via webhooks"]);
    expect(app.logs().find((record) => record.msg === "loaded")).toMatchObject({ level: 30 });
    expect(bot.version).toBe("14.0.0");
    await expect(bot.ready()).resolves.toBe(bot);
    expect(() => bot.webhooks.removeListener()).toThrow(/is not supported by Hookwright/);
  });

  it("refuses Probot 9's cache, events and app(), and getNodeMiddleware outside hookwright/probot", async () => {
    let bot!: Record<string, unknown> & App;
    app = await createTestApp((given: App) => void (bot = given as typeof bot));
    expect(() => bot.cache).toThrow(expect.objectContaining({ code: "PROBOT_API_UNSUPPORTED" }));
    expect(() => bot.events).toThrow(/use app\.on/);
    expect(() => (bot.app as () => unknown)()).toThrow(/app\.auth\(\)/);
    expect(() => (bot.getNodeMiddleware as () => unknown)()).toThrow(/createNodeMiddleware/);
  });

  it("app.app works as the app, as Probot 11 betas' `({ app }) => …` app functions read it", async () => {
    const seen: string[] = [];
    app = await createTestApp((given: App) => {
      const { app: inner } = given as App & { app: App };
      inner.on("issues.opened", () => void seen.push("via app.app"));
      inner.log.info("inner log");
    });
    await app.receive("issues.opened");
    expect(seen).toEqual(["via app.app"]);
    expect(app.logs().some((record) => record.msg === "inner log")).toBe(true);
  });
});
