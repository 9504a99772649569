// The hand-written limit: the least a correct receiver can do. node:http, HMAC over the raw
// bytes, JSON.parse, and (mode "e2e") one installation token per installation, cached and
// single-flight, then the comment posted with fetch. Mode "receive" stops after parsing.
import { createHmac, createPrivateKey, sign, timingSafeEqual } from "node:crypto";
import { createServer } from "node:http";
import { Buffer } from "node:buffer";

const env = process.env;
const mode = env.LIMIT_MODE ?? "e2e";
const secret = env.WEBHOOK_SECRET;
const apiUrl = env.GITHUB_API_URL.replace(/\/+$/, "");
const privateKey = createPrivateKey(env.PRIVATE_KEY);
const MAX_BODY = 25 * 1024 * 1024;

const b64url = (value) => Buffer.from(value).toString("base64url");
let jwt = { value: "", renewAt: 0 };
function appJwt() {
  const now = Math.floor(Date.now() / 1000);
  if (now * 1000 < jwt.renewAt) return jwt.value;
  const head = `${b64url('{"alg":"RS256","typ":"JWT"}')}.${b64url(
    JSON.stringify({ iat: now - 60, exp: now + 540, iss: Number(env.APP_ID) }),
  )}`;
  jwt = {
    value: `${head}.${sign("sha256", Buffer.from(head), privateKey).toString("base64url")}`,
    renewAt: (now + 480) * 1000,
  };
  return jwt.value;
}

const tokens = new Map();
const pending = new Map();
async function installationToken(id) {
  const cached = tokens.get(id);
  if (cached && cached.refreshAt > Date.now()) return cached.token;
  let inFlight = pending.get(id);
  if (!inFlight) {
    inFlight = (async () => {
      const response = await globalThis.fetch(`${apiUrl}/app/installations/${id}/access_tokens`, {
        method: "POST",
        headers: {
          accept: "application/vnd.github+json",
          authorization: `Bearer ${appJwt()}`,
          "user-agent": "bench-limit",
        },
      });
      if (response.status !== 201) throw new Error(`token: HTTP ${response.status}`);
      const data = await response.json();
      tokens.set(id, { token: data.token, refreshAt: Date.parse(data.expires_at) - 300_000 });
      return data.token;
    })().finally(() => pending.delete(id));
    pending.set(id, inFlight);
  }
  return inFlight;
}

async function comment(payload) {
  const token = await installationToken(payload.installation.id);
  const { owner, name } = payload.repository;
  const response = await globalThis.fetch(
    `${apiUrl}/repos/${owner.login}/${name}/issues/${payload.issue.number}/comments`,
    {
      method: "POST",
      headers: {
        accept: "application/vnd.github+json",
        authorization: `token ${token}`,
        "content-type": "application/json",
        "user-agent": "bench-limit",
      },
      body: JSON.stringify({ body: "Thanks for opening this issue!" }),
    },
  );
  await response.arrayBuffer();
  if (response.status !== 201) throw new Error(`comment: HTTP ${response.status}`);
}

function verified(body, header) {
  if (typeof header !== "string" || !header.startsWith("sha256=") || header.length !== 71) {
    return false;
  }
  const expected = createHmac("sha256", secret).update(body).digest();
  return timingSafeEqual(expected, Buffer.from(header.slice(7), "hex"));
}

function answer(res, status, text) {
  res.writeHead(status, { "content-type": "application/json", "content-length": text.length });
  res.end(text);
}

async function handle(req, body, res) {
  if (!verified(body, req.headers["x-hub-signature-256"])) return answer(res, 401, '{"error":1}');
  let payload;
  try {
    payload = JSON.parse(body.toString("utf8"));
  } catch {
    return answer(res, 400, '{"error":2}');
  }
  if (mode === "e2e" && req.headers["x-github-event"] === "issues" && payload.action === "opened") {
    try {
      await comment(payload);
    } catch {
      return answer(res, 500, '{"error":3}');
    }
  }
  answer(res, 200, '{"ok":true}');
}

const server = createServer((req, res) => {
  if (req.url === "/ping") return void res.end("PONG");
  if (req.method !== "POST" || req.url !== "/api/github/webhooks") return answer(res, 404, "{}");
  const chunks = [];
  let size = 0;
  req.on("data", (chunk) => {
    size += chunk.length;
    if (size > MAX_BODY) req.destroy();
    else chunks.push(chunk);
  });
  req.on("end", () => void handle(req, Buffer.concat(chunks, size), res));
});
server.keepAliveTimeout = 60_000;
server.listen(Number(env.PORT ?? 3000), env.HOST ?? "127.0.0.1");
process.on("SIGTERM", () => {
  server.close(() => process.exit(0));
  server.closeAllConnections();
});
