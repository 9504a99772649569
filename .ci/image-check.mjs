// The image, checked without a Docker engine: the Dockerfile's steps replayed in a clean
// temporary folder (production dependencies only in the last stage), then its CMD started as
// the image would run it, with a configured app against the fake GitHub on loopback: /health,
// the HEALTHCHECK, the console's page and samples, and one signed delivery that the greeter
// answers with a comment the fake records. Usage: node .ci/image-check.mjs (after a build:
// the fake GitHub comes from this checkout's dist/). Exits non-zero on any failure.
import { execFileSync, spawn } from "node:child_process";
import { generateKeyPairSync, randomBytes } from "node:crypto";
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync } from "node:fs";
import { createServer } from "node:net";
import { tmpdir } from "node:os";
import { performance } from "node:perf_hooks";
import { join, resolve } from "node:path";
import { setTimeout as sleep } from "node:timers/promises";
import { replayDockerfile } from "./replay-dockerfile.mjs";

const { fetch } = globalThis;
const checkout = resolve(import.meta.dirname, "..");
const { createFakeGitHub, createSignedDelivery, readFixture } = await import(
  join(checkout, "dist/src/testing/index.js")
);
const log = (line) => console.log(`image-check: ${line}`);

function check(condition, what) {
  if (!condition) throw new Error(what);
  log(`ok: ${what}`);
}

function nodeBin(version) {
  return execFileSync(join(checkout, ".ci/node-runtime"), [version], { encoding: "utf8" }).trim();
}

async function freePort() {
  const server = createServer();
  await new Promise((done) => server.listen(0, "127.0.0.1", done));
  const { port } = server.address();
  await new Promise((done) => server.close(done));
  return port;
}

/** What `npm ci --omit=dev` must leave out: every dev dependency, and the TypeScript tooling. */
function devPackagesIn(app) {
  const manifest = JSON.parse(readFileSync(join(app, "package.json"), "utf8"));
  const names = [...Object.keys(manifest.devDependencies ?? {}), "esbuild", "typescript", "tsx"];
  return names.filter((name) => existsSync(join(app, "node_modules", name)));
}

function typeScriptSources(dir) {
  if (!existsSync(dir)) return [];
  return readdirSync(dir, { recursive: true }).filter((file) => /(?<!\.d)\.[cm]?ts$/.test(file));
}

async function until(ms, what, probe) {
  const end = performance.now() + ms;
  for (;;) {
    try {
      if (await probe()) return;
    } catch {
      // not up yet
    }
    if (performance.now() > end) throw new Error(`${what} within ${ms} ms`);
    await sleep(100);
  }
}

const root = mkdtempSync(join(tmpdir(), "hookwright-image-"));
let server;
let github;
let output = "";
try {
  const image = replayDockerfile({
    dockerfile: join(checkout, "Dockerfile"),
    context: checkout,
    root,
    nodeBin,
    log,
  });
  const dev = devPackagesIn(image.app);
  check(dev.length === 0, `no dev dependencies in the image${dev.length ? ` (found ${dev})` : ""}`);
  check(existsSync(join(image.app, "dist/plugins/greeter/index.js")), "plugins compiled to dist");
  const sources = typeScriptSources(join(image.app, "dist"));
  check(
    sources.length === 0,
    `no TypeScript to load at run time${sources.length ? ` (${sources})` : ""}`,
  );

  const { privateKey, publicKey } = generateKeyPairSync("rsa", { modulusLength: 2048 });
  github = createFakeGitHub({
    appId: 4242,
    publicKey,
    installations: [
      {
        id: 7,
        account: { login: "Codertocat", type: "User" },
        repositories: ["Codertocat/Hello-World"],
      },
    ],
  });
  const apiUrl = await github.listen();
  const port = await freePort();
  const secret = randomBytes(24).toString("hex");
  const consoleToken = randomBytes(24).toString("hex");
  const env = {
    PATH: `${image.node}:/usr/bin:/bin`,
    HOME: join(root, "home"),
    ...image.env,
    APP_ID: "4242",
    PRIVATE_KEY: privateKey.export({ type: "pkcs1", format: "pem" }),
    WEBHOOK_SECRET: secret,
    GITHUB_API_URL: apiUrl,
    CONSOLE_TOKEN: consoleToken,
    HOST: "127.0.0.1",
    PORT: String(port),
  };
  const [command, ...args] = image.cmd;
  server = spawn(command, args, { cwd: image.app, env, stdio: ["ignore", "pipe", "pipe"] });
  server.stdout.on("data", (chunk) => (output += chunk));
  server.stderr.on("data", (chunk) => (output += chunk));
  const exited = new Promise((done) => server.once("exit", (code) => done(code)));
  exited.then((code) => code !== null && code !== 0 && log(`server exited ${code}:\n${output}`));
  const base = `http://127.0.0.1:${port}`;
  await until(30_000, "GET /health answered 200", async () => (await fetch(`${base}/health`)).ok);
  check(true, "GET /health answered 200");
  await until(10_000, "the HEALTHCHECK passed", () => {
    execFileSync("bash", ["-c", image.healthcheck], { cwd: image.app, env, stdio: "ignore" });
    return true;
  });
  check(true, "the HEALTHCHECK passed (/ready)");

  const auth = { authorization: `Bearer ${consoleToken}` };
  const page = await fetch(`${base}/`, { headers: auth });
  check(page.ok && (await page.text()).includes("<html"), "the console page is served");
  const samples = await (await fetch(`${base}/console/api/samples`, { headers: auth })).text();
  check(samples.includes("issues.opened"), "the console lists the fixtures' samples");

  const payload = readFixture("issues.opened", { installation: { id: 7 } });
  const delivery = createSignedDelivery({ secret, event: "issues.opened", payload });
  const answer = await fetch(`${base}/api/github/webhooks`, {
    method: "POST",
    headers: delivery.headers,
    body: delivery.body,
  });
  check(answer.status === 200, `a signed delivery answered 200 (got ${answer.status})`);
  github.expectCall("POST /repos/{owner}/{repo}/issues/{issue_number}/comments");
  check(true, "the fake GitHub recorded the greeter's comment");
  const token = github.issuedTokens[0]?.token;
  check(token !== undefined && !output.includes(token), "the logs hold no installation token");
  check(/"level":30/.test(output), "the logs are JSON lines");

  server.kill("SIGTERM");
  check((await exited) === 0, "SIGTERM stops the server with exit 0");
  server = undefined;
  log("passed");
} catch (error) {
  if (output !== "") log(`the server's output:\n${output.split("\n").slice(-40).join("\n")}`);
  log(`FAILED: ${error instanceof Error ? error.message : String(error)}`);
  process.exitCode = 1;
} finally {
  server?.kill("SIGKILL");
  await github?.close();
  rmSync(root, { recursive: true, force: true });
}
