import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { afterEach, describe, expect, it } from "@jest/globals";
import { createDeliveryEvents } from "../../src/events/delivery-events.js";
import request from "supertest";
import { CONSOLE_COOKIE } from "../../src/console/console-auth.js";
import { createConsole, type DeliveryConsole } from "../../src/console/create-console.js";
import { createDeliveryLog } from "../../src/console/delivery-log.js";
import { createMetrics } from "../../src/server/create-metrics.js";
import { createServer } from "../../src/server/create-server.js";
import { createSetup } from "../../src/setup/create-setup.js";
import type { WebhookReceiver } from "../../src/webhooks/create-webhook-receiver.js";
import { captureLogs } from "../helpers/capture-logs.js";

const ROOT = fileURLToPath(new URL("../../", import.meta.url));
const TOKEN = "console-token-for-tests-0001";
const REBOUND = "rebind.attacker.example:3000";

const cleanup: (() => void)[] = [];
afterEach(() => {
  for (const step of cleanup.splice(0).reverse()) step();
});

/**
 * The console as the sandbox serves it (open, with app registration), or with a token, on the
 * real server and its error handling; the receiver only counts what reaches it.
 */
function start(options: { token?: string; publicUrl?: string } = {}) {
  const cwd = mkdtempSync(join(tmpdir(), "hookwright-own-host-"));
  writeFileSync(join(cwd, ".env"), "KEEP=1\n");
  const logs = captureLogs();
  const received: unknown[] = [];
  const receiver: WebhookReceiver = {
    async receive(headers) {
      received.push(headers);
      return { status: 200, body: { status: "completed" } };
    },
  };
  const server = createServer({
    receiver,
    webhookPath: "/api/github/webhooks",
    logger: logs.logger,
    readiness: () => "ready",
    metrics: createMetrics({ events: createDeliveryEvents(), inFlight: () => 0 }),
  });
  const deliveryConsole: DeliveryConsole = createConsole({
    log: createDeliveryLog(),
    receiver,
    secret: "sandbox-secret",
    token: options.token,
    fixturesDir: join(ROOT, "fixtures/webhooks"),
    logger: logs.logger,
    webUrl: "https://github.com",
    publicUrl: options.publicUrl,
    setup: createSetup({
      webUrl: "https://github.com",
      apiUrl: "http://127.0.0.1:9",
      appYmlPath: join(ROOT, "app.yml"),
      envPath: join(cwd, ".env"),
    }),
  });
  server.getRouter("/").use(deliveryConsole.router);
  cleanup.push(
    () => rmSync(cwd, { recursive: true, force: true }),
    () => deliveryConsole.close(),
  );
  return {
    app: server.app,
    logs,
    received,
    envText: () => readFileSync(join(cwd, ".env"), "utf8"),
  };
}

const ROUTES: [method: "get" | "post", path: string][] = [
  ["get", "/"],
  ["get", "/console/api/info"],
  ["get", "/console/api/deliveries"],
  ["get", "/console/api/stream"],
  ["get", "/console/api/samples"],
  ["get", "/console/api/samples/issues.opened"],
  ["post", "/console/api/send"],
  ["post", "/console/api/deliveries/1/replay"],
  ["post", "/console/api/register"],
  ["get", "/setup?code=attackers-code&state=attackers-state"],
];

const send = (app: ReturnType<typeof start>["app"], method: "get" | "post", path: string) => {
  const test = request(app)[method](path);
  return method === "post"
    ? test.set("content-type", "application/json").send({ event: "issues", payload: {} })
    : test;
};

describe("the console answers only its own host", () => {
  it.each(ROUTES)("refuses %s %s under a rebound Host with 421", async (method, path) => {
    const { app, received, envText } = start();
    const res = await send(app, method, path).set("host", REBOUND);
    expect(res.status).toBe(421);
    expect(res.body.error.code).toBe("HOST_NOT_ALLOWED");
    expect(received).toHaveLength(0);
    expect(envText()).toBe("KEEP=1\n");
  });

  it.each([
    ["localhost:3000"],
    ["127.0.0.1"],
    ["127.1.2.3:8080"],
    ["[::1]:3000"],
    ["app.localhost"],
  ])("answers under the loopback Host %s", async (host) => {
    const { app } = start();
    const res = await request(app).get("/console/api/info").set("host", host);
    expect(res.status).toBe(200);
  });

  it.each([
    ["localhost.attacker.example"],
    ["127.0.0.1.nip.io"],
    ["2130706433"],
    ["evil@localhost"],
  ])("refuses the look-alike Host %s", async (host) => {
    const { app } = start();
    expect((await request(app).get("/console/api/info").set("host", host)).status).toBe(421);
  });

  it("answers PUBLIC_URL's host, and still refuses others", async () => {
    const { app } = start({ token: TOKEN, publicUrl: "https://bot.example.com" });
    const auth = `Bearer ${TOKEN}`;
    const own = await request(app)
      .get("/console/api/info")
      .set("host", "bot.example.com")
      .set("authorization", auth);
    expect(own.status).toBe(200);
    const other = await request(app)
      .get("/console/api/info")
      .set("host", REBOUND)
      .set("authorization", auth);
    expect(other.status).toBe(421);
  });

  it("leaves webhooks and the plugins' routes alone: GitHub may reach them under any Host", async () => {
    const { app } = start();
    const hook = await request(app)
      .post("/api/github/webhooks")
      .set("host", "bot.example.com")
      .set("content-type", "application/json")
      .send("{}");
    expect(hook.status).toBe(200);
    expect((await request(app).get("/health").set("host", "bot.example.com")).status).toBe(200);
  });
});

describe("the console's state-changing routes check Origin", () => {
  it.each([
    ["post", "/console/api/send"],
    ["post", "/console/api/register"],
    ["post", "/console/api/deliveries/1/replay"],
    ["get", "/setup?code=c&state=s"],
  ] as const)("refuses %s %s from another site's page with 403", async (method, path) => {
    const { app, received } = start();
    for (const origin of ["http://attacker.example", "http://localhost:8080", "null"]) {
      const res = await send(app, method, path).set("origin", origin);
      expect([origin, res.status]).toEqual([origin, 403]);
      expect(res.body.error.code).toBe("ORIGIN_NOT_ALLOWED");
    }
    expect(received).toHaveLength(0);
  });

  it("accepts the console's own page, and clients that are not browsers", async () => {
    const { app, received } = start();
    const fromPage = await send(app, "post", "/console/api/send")
      .set("host", "localhost:3000")
      .set("origin", "http://localhost:3000");
    expect(fromPage.status).toBe(200);
    expect((await send(app, "post", "/console/api/send")).status).toBe(200);
    expect(received).toHaveLength(2);
  });
});

describe("the console's pages and cookie", () => {
  it("sends /setup with the console's security headers", async () => {
    const { app } = start();
    const res = await request(app).get("/setup?code=x&state=y");
    expect(res.status).toBe(400);
    expect(res.headers["content-type"]).toMatch(/^text\/html/);
    expect(res.headers["content-security-policy"]).toContain("default-src 'none'");
    expect(res.headers["content-security-policy"]).toContain("script-src 'none'");
    expect(res.headers["content-security-policy"]).toContain("frame-ancestors 'none'");
    expect(res.headers["x-content-type-options"]).toBe("nosniff");
    expect(res.headers["referrer-policy"]).toBe("no-referrer");
    expect(res.headers["cache-control"]).toBe("no-store");
    const page = await request(app).get("/");
    expect(page.headers["content-security-policy"]).toMatch(/script-src 'nonce-/);
    expect(page.headers["x-content-type-options"]).toBe("nosniff");
    const api = await request(app).get("/console/api/info");
    expect(api.headers["x-content-type-options"]).toBe("nosniff");
  });

  it("makes the cookie Secure when PUBLIC_URL is https, and not over plain loopback http", async () => {
    const secure = start({ token: TOKEN, publicUrl: "https://bot.example.com" });
    const res = await request(secure.app).get(`/?token=${TOKEN}`).set("host", "bot.example.com");
    expect(res.status).toBe(303);
    expect(res.headers["set-cookie"]![0]).toMatch(/; Secure/);
    const plain = start({ token: TOKEN });
    const local = await request(plain.app).get(`/?token=${TOKEN}`);
    expect(local.headers["set-cookie"]![0]).not.toMatch(/; Secure/);
  });

  it.each([["%E0%A4%A"], ["%"], ["%zz"]])(
    "answers a malformed console cookie (%s) with 401, logging no error",
    async (value) => {
      const { app, logs } = start({ token: TOKEN });
      const res = await request(app)
        .get("/console/api/info")
        .set("cookie", `${CONSOLE_COOKIE}=${value}`);
      expect(res.status).toBe(401);
      expect(logs.text()).not.toMatch(/URIError|"level":50/);
    },
  );

  it("answers malformed queries and path escapes with 4xx", async () => {
    const { app, logs } = start({ token: TOKEN });
    const auth = `Bearer ${TOKEN}`;
    expect((await request(app).get("/?token=%E0%A4%A")).status).toBe(401);
    expect((await request(app).get("/?token[]=a&token[]=b")).status).toBe(401);
    const sample = await request(app)
      .get("/console/api/samples/%E0%A4%A")
      .set("authorization", auth);
    expect(sample.status).toBe(400);
    const broken = await request(app)
      .post("/console/api/send")
      .set("authorization", auth)
      .set("content-type", "application/json")
      .send("{not json");
    expect(broken.status).toBe(400);
    const setup = await request(app).get("/setup?code[x]=1&state=%E0%A4%A");
    expect(setup.status).toBe(400);
    expect(logs.text()).not.toMatch(/"level":50/);
  });
});
