// The hand-written floor on Hookwright's own stack: what a careful app built from Express 5 and
// @octokit/core costs, so the framework can be judged against the parts it is made of.
// FLOOR_MODE=receive: Express 5, the raw body (express.raw), HMAC over it, JSON.parse, 200.
// FLOOR_MODE=e2e: the same, then one @octokit/core + rest-endpoint-methods client per delivery
// (one class per process; `x-github-delivery` stamped by a hook, as Probot does), with one
// cached single-flight installation token per installation, posting the comment plugin's
// comment. Express and Octokit are loaded from the measured checkout's node_modules
// (BENCH_HOOKWRIGHT_DIR), so the floor runs the very versions Hookwright ships with.
import { createHmac, createPrivateKey, sign, timingSafeEqual } from "node:crypto";
import { Buffer } from "node:buffer";
import { readFileSync } from "node:fs";
import { createRequire } from "node:module";
import { join } from "node:path";
import { pathToFileURL } from "node:url";

const env = process.env;
const dir = env.BENCH_HOOKWRIGHT_DIR;
const mode = env.FLOOR_MODE ?? "e2e";
const secret = env.WEBHOOK_SECRET;

// ESM-only packages: their "exports" entry, read by hand (import.meta.resolve with a parent
// needs a flag on Node 20).
async function importFrom(name) {
  const root = join(dir, "node_modules", name);
  const manifest = JSON.parse(readFileSync(join(root, "package.json"), "utf8"));
  const entry = manifest.exports?.["."]?.import ?? manifest.main ?? "index.js";
  return import(pathToFileURL(join(root, entry)).href);
}
const express = createRequire(join(dir, "package.json"))("express");

function verified(body, header) {
  if (typeof header !== "string" || !header.startsWith("sha256=") || header.length !== 71) {
    return false;
  }
  const expected = createHmac("sha256", secret).update(body).digest();
  return timingSafeEqual(expected, Buffer.from(header.slice(7), "hex"));
}

let comment = async () => {};
if (mode === "e2e") {
  const { Octokit } = await importFrom("@octokit/core");
  const { restEndpointMethods } = await importFrom("@octokit/plugin-rest-endpoint-methods");
  const BenchOctokit = Octokit.plugin(restEndpointMethods);
  const baseUrl = env.GITHUB_API_URL.replace(/\/+$/, "");
  const privateKey = createPrivateKey(env.PRIVATE_KEY);
  const b64url = (value) => Buffer.from(value).toString("base64url");
  const appJwt = () => {
    const now = Math.floor(Date.now() / 1000);
    const head = `${b64url('{"alg":"RS256","typ":"JWT"}')}.${b64url(
      JSON.stringify({ iat: now - 60, exp: now + 540, iss: Number(env.APP_ID) }),
    )}`;
    return `${head}.${sign("sha256", Buffer.from(head), privateKey).toString("base64url")}`;
  };
  const appClient = new BenchOctokit({ baseUrl });
  const tokens = new Map();
  const pending = new Map();
  const token = (id) => {
    const cached = tokens.get(id);
    if (cached && cached.refreshAt > Date.now()) return cached.token;
    let inFlight = pending.get(id);
    if (!inFlight) {
      inFlight = appClient
        .request("POST /app/installations/{installation_id}/access_tokens", {
          installation_id: id,
          headers: { authorization: `bearer ${appJwt()}` },
        })
        .then(({ data }) => {
          tokens.set(id, { token: data.token, refreshAt: Date.parse(data.expires_at) - 300_000 });
          return data.token;
        })
        .finally(() => pending.delete(id));
      pending.set(id, inFlight);
    }
    return inFlight;
  };
  comment = async (deliveryId, payload) => {
    const octokit = new BenchOctokit({ auth: await token(payload.installation.id), baseUrl });
    octokit.hook.before("request", (options) => {
      options.headers["x-github-delivery"] = deliveryId;
    });
    await octokit.rest.issues.createComment({
      owner: payload.repository.owner.login,
      repo: payload.repository.name,
      issue_number: payload.issue.number,
      body: "Thanks for opening this issue!",
    });
  };
}

const app = express();
app.get("/ping", (req, res) => res.send("PONG"));
app.post("/api/github/webhooks", express.raw({ type: () => true, limit: "25mb" }), (req, res) => {
  if (!verified(req.body, req.get("x-hub-signature-256"))) {
    return res.status(401).json({ error: "signature" });
  }
  let payload;
  try {
    payload = JSON.parse(req.body.toString("utf8"));
  } catch {
    return res.status(400).json({ error: "json" });
  }
  if (req.get("x-github-event") !== "issues" || payload.action !== "opened") {
    return res.json({ ok: true });
  }
  comment(req.get("x-github-delivery"), payload).then(
    () => res.json({ ok: true }),
    () => res.status(500).json({ error: "handler" }),
  );
});
const server = app.listen(Number(env.PORT), env.HOST);
server.keepAliveTimeout = 60_000;
// A clean exit, so `node --cpu-prof` writes its profile (bench/profile.mjs).
process.once("SIGTERM", () => {
  server.closeAllConnections();
  server.close(() => process.exit(0));
});
