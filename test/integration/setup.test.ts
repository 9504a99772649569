import { mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from "node:fs";
import { createServer, type Server } from "node:http";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { afterEach, describe, expect, it } from "@jest/globals";
import { createApp, type Hookwright } from "../../src/app/create-app.js";
import { withDotenv } from "../../src/config/load-dotenv.js";
import { readConfig } from "../../src/config/read-config.js";
import { createConsole } from "../../src/console/create-console.js";
import { createDeliveryLog } from "../../src/console/delivery-log.js";
import { startSandbox, type Sandbox } from "../../src/sandbox/create-sandbox.js";
import { createSetup } from "../../src/setup/create-setup.js";
import { captureLogs } from "../helpers/capture-logs.js";
import { testKeys } from "../helpers/keys.js";

const ROOT = fileURLToPath(new URL("../../", import.meta.url));
const CODE = "manifest-code-123";

/**
 * GitHub's side of the manifest flow: the new-app page (which, once the user confirms,
 * redirects to the manifest's redirect_url with a code and the state) and the conversion.
 */
async function startFakeGitHub() {
  const manifests: Record<string, unknown>[] = [];
  const conversions: string[] = [];
  const server: Server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on("data", (chunk: Buffer) => chunks.push(chunk));
    req.on("end", () => {
      const url = new URL(req.url!, "http://github.test");
      if (req.method === "POST" && url.pathname === "/settings/apps/new") {
        const manifest = JSON.parse(
          new URLSearchParams(Buffer.concat(chunks).toString()).get("manifest")!,
        );
        manifests.push(manifest);
        const back = new URL(manifest.redirect_url);
        back.search = new URLSearchParams({
          code: CODE,
          state: url.searchParams.get("state")!,
        }).toString();
        return void res.writeHead(302, { location: back.href }).end();
      }
      const conversion = /^\/app-manifests\/([^/]+)\/conversions$/.exec(url.pathname);
      if (req.method === "POST" && conversion) {
        conversions.push(conversion[1]!);
        if (conversion[1] !== CODE) return void res.writeHead(404).end('{"message":"Not Found"}');
        return void res.writeHead(201, { "content-type": "application/json" }).end(
          JSON.stringify({
            id: 31337,
            slug: "hookwright-app",
            name: "Hookwright App",
            html_url: "https://github.com/apps/hookwright-app",
            client_id: "Iv1.0123456789abcdef",
            client_secret: "client-secret-value",
            webhook_secret: "registered-webhook-secret",
            pem: testKeys().privateKeyPem,
          }),
        );
      }
      res.writeHead(404).end();
    });
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const url = `http://127.0.0.1:${(server.address() as { port: number }).port}`;
  return { url, manifests, conversions, close: () => new Promise((r) => server.close(r)) };
}

let cleanup: (() => Promise<unknown>)[] = [];
afterEach(async () => {
  for (const step of cleanup.reverse()) await step();
  cleanup = [];
});

async function start() {
  const github = await startFakeGitHub();
  const cwd = mkdtempSync(join(tmpdir(), "hookwright-register-"));
  writeFileSync(join(cwd, ".env"), "# from .env.example\nAPP_ID=\nPORT=4000\nLOG_LEVEL=debug\n");
  const sandbox: Sandbox = await startSandbox();
  const logs = captureLogs();
  const log = createDeliveryLog();
  const hookwright: Hookwright = createApp({
    credentials: {
      appId: sandbox.appId,
      privateKey: sandbox.privateKey,
      webhookSecrets: [sandbox.webhookSecret],
    },
    github: { apiUrl: sandbox.apiUrl },
    dependencies: { logger: logs.logger },
  });
  log.attach(hookwright.events);
  const deliveryConsole = createConsole({
    log,
    receiver: hookwright.receiver,
    secret: sandbox.webhookSecret,
    token: undefined,
    fixturesDir: join(ROOT, "fixtures/webhooks"),
    logger: logs.logger,
    webUrl: github.url,
    sandbox,
    setup: createSetup({
      webUrl: github.url,
      apiUrl: github.url,
      appYmlPath: join(ROOT, "app.yml"),
      envPath: join(cwd, ".env"),
    }),
  });
  hookwright.getRouter("/").use(deliveryConsole.router);
  const server = await hookwright.listen(0, "127.0.0.1");
  const base = `http://127.0.0.1:${(server.address() as { port: number }).port}`;
  cleanup.push(
    () => github.close(),
    () => sandbox.close(),
    () => Promise.resolve(rmSync(cwd, { recursive: true, force: true })),
    () => hookwright.close(100),
    async () => deliveryConsole.close(),
  );
  return { github, cwd, base };
}

async function register(base: string, webhookUrl: string) {
  const response = await fetch(`${base}/console/api/register`, {
    method: "POST",
    headers: { "content-type": "application/json" },
    body: JSON.stringify({ webhookUrl }),
  });
  return (await response.json()) as { action: string; manifest: string };
}

describe("registering a GitHub App from the console", () => {
  it("posts app.yml's manifest to GitHub, converts the code at /setup and writes .env for the restart", async () => {
    const { github, cwd, base } = await start();
    const form = await register(base, "https://smee.io/channel");
    expect(form.action.startsWith(`${github.url}/settings/apps/new?state=`)).toBe(true);
    // The browser posts the form; GitHub sends it back to /setup.
    const atGitHub = await fetch(form.action, {
      method: "POST",
      body: new URLSearchParams({ manifest: form.manifest }),
      redirect: "manual",
    });
    expect(github.manifests[0]).toMatchObject({
      name: "Hookwright App",
      default_events: ["issues", "issue_comment", "pull_request", "push"],
      hook_attributes: { url: "https://smee.io/channel" },
      redirect_url: `${base}/setup`,
    });
    const setupPage = await fetch(atGitHub.headers.get("location")!);
    const html = await setupPage.text();
    expect(setupPage.status).toBe(200);
    expect(html).toContain("Restart the server");
    expect(github.conversions).toEqual([CODE]);
    for (const secret of ["client-secret-value", "registered-webhook-secret", "PRIVATE KEY"]) {
      expect(html).not.toContain(secret);
    }
    const envPath = join(cwd, ".env");
    expect(statSync(envPath).mode & 0o777).toBe(0o600);
    const text = readFileSync(envPath, "utf8");
    expect(text).toMatch(/^# from \.env\.example\nAPP_ID=31337\nPORT=4000\nLOG_LEVEL=debug\n/);
    expect(text).toContain("GITHUB_CLIENT_ID=Iv1.0123456789abcdef\n");
    expect(text).toContain("GITHUB_CLIENT_SECRET=client-secret-value\n");
    // What the restart will read: a configured app, no longer the sandbox.
    const config = readConfig(withDotenv({}, envPath));
    expect(config.app).toMatchObject({
      appId: "31337",
      webhookSecrets: ["registered-webhook-secret"],
    });
    expect(config.app!.privateKey.key.asymmetricKeyType).toBe("rsa");
  });

  it("refuses a /setup the console did not start, or a replayed one, and leaves .env alone", async () => {
    const { github, cwd, base } = await start();
    const forged = await fetch(`${base}/setup?code=${CODE}&state=guessed`);
    expect(forged.status).toBe(400);
    expect(github.conversions).toEqual([]);
    const form = await register(base, "https://smee.io/channel");
    const atGitHub = await fetch(form.action, {
      method: "POST",
      body: new URLSearchParams({ manifest: form.manifest }),
      redirect: "manual",
    });
    const location = atGitHub.headers.get("location")!;
    expect((await fetch(location)).status).toBe(200);
    writeFileSync(join(cwd, ".env"), "KEEP=1\n");
    expect((await fetch(location)).status).toBe(400);
    expect(readFileSync(join(cwd, ".env"), "utf8")).toBe("KEEP=1\n");
  });

  it("says why when GitHub refuses the code, with 502", async () => {
    const { base } = await start();
    const form = await register(base, "https://smee.io/channel");
    const state = new URL(form.action).searchParams.get("state")!;
    const response = await fetch(`${base}/setup?code=expired&state=${state}`);
    expect(response.status).toBe(502);
    const html = await response.text();
    expect(html).toContain("404");
    // In the console's style, red, with the way back to it.
    expect(html).toMatch(/<h1 class="bad">App registration failed<\/h1>/);
    expect(html).toContain('<a class="back" href="/" data-testid="back">');
    expect(html).toContain("<style>");
  });
});
