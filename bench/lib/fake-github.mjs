// A small, fast GitHub for the benchmark: it issues installation tokens (without checking
// the app JWT, which the test suite's fake does), accepts issue comments and counts both.
// Run as a child process (`fork`) so its CPU is not charged to the load generator; it sends
// `{ port }` over IPC once listening on 127.0.0.1.
import { randomBytes } from "node:crypto";
import { createServer } from "node:http";
import { performance } from "node:perf_hooks";
import { Buffer } from "node:buffer";
import { clearTimeout, setTimeout } from "node:timers";

const TOKEN_ROUTE = /^\/app\/installations\/(\d+)\/access_tokens$/;
const COMMENT_ROUTE = /^\/repos\/([^/]+)\/([^/]+)\/issues\/(\d+)\/comments$/;
const INSTALLATION_ROUTE = /^\/app\/installations\/(\d+)$/;

export function createFakeGitHub() {
  let state;
  const waiters = new Set();
  function reset() {
    state = {
      exchanges: new Map(),
      tokens: new Map(),
      comments: 0,
      commentsByInstallation: new Map(),
      badAuth: 0,
      unexpected: [],
      lastCommentAt: 0,
    };
    for (const waiter of waiters) waiter.finish();
  }
  reset();

  function stats() {
    return {
      exchanges: Object.fromEntries(state.exchanges),
      totalExchanges: [...state.exchanges.values()].reduce((a, b) => a + b, 0),
      comments: state.comments,
      badAuth: state.badAuth,
      unexpected: state.unexpected.slice(0, 10),
      lastCommentAt: state.lastCommentAt,
    };
  }

  function send(res, status, body) {
    const text = JSON.stringify(body);
    res.writeHead(status, {
      "content-type": "application/json; charset=utf-8",
      "content-length": Buffer.byteLength(text),
    });
    res.end(text);
  }

  function notify() {
    for (const waiter of waiters) if (state.comments >= waiter.target) waiter.finish();
  }

  function control(req, res, url) {
    if (url.pathname === "/_bench/stats") return send(res, 200, stats());
    if (url.pathname === "/_bench/reset") {
      reset();
      return send(res, 200, { ok: true });
    }
    if (url.pathname === "/_bench/wait") {
      // Long poll: answers once `comments` comments exist, or at the timeout.
      const target = Number(url.searchParams.get("comments"));
      const timeoutMs = Math.min(Number(url.searchParams.get("timeoutMs") ?? 10_000), 600_000);
      const waiter = {
        target,
        finish() {
          clearTimeout(waiter.timer);
          waiters.delete(waiter);
          send(res, 200, stats());
        },
      };
      waiter.timer = setTimeout(() => waiter.finish(), timeoutMs);
      waiters.add(waiter);
      notify();
      return;
    }
    send(res, 404, { message: "Not Found" });
  }

  function route(req, res, body) {
    // Probot addresses GitHub Enterprise as <host>/api/v3.
    const path = req.url.replace(/^\/api\/v3/, "").replace(/\?.*$/, "");
    let match;
    if (req.method === "POST" && (match = TOKEN_ROUTE.exec(path))) {
      const id = Number(match[1]);
      state.exchanges.set(id, (state.exchanges.get(id) ?? 0) + 1);
      const token = `ghs_${randomBytes(18).toString("base64url")}`;
      state.tokens.set(token, id);
      return send(res, 201, {
        token,
        expires_at: new Date(Date.now() + 3600_000).toISOString().replace(/\.\d{3}Z$/, "Z"),
        permissions: { issues: "write", metadata: "read" },
        repository_selection: "all",
      });
    }
    if (req.method === "POST" && (match = COMMENT_ROUTE.exec(path))) {
      const auth = req.headers.authorization ?? "";
      const token = auth.replace(/^(token|bearer)\s+/i, "");
      const owner = match[1];
      const installation = state.tokens.get(token);
      // The bench payloads name the installation in the owner, so a token used for the
      // wrong installation is caught.
      if (installation === undefined || owner !== `inst-${installation}`) {
        state.badAuth++;
        return send(res, 401, { message: "Bad credentials" });
      }
      let text = "";
      try {
        text = JSON.parse(body.toString("utf8")).body;
      } catch {
        return send(res, 400, { message: "Problems parsing JSON" });
      }
      state.comments++;
      state.commentsByInstallation.set(
        installation,
        (state.commentsByInstallation.get(installation) ?? 0) + 1,
      );
      state.lastCommentAt = performance.timeOrigin + performance.now();
      send(res, 201, {
        id: state.comments,
        body: text,
        user: { login: "bench[bot]", type: "Bot" },
      });
      notify();
      return;
    }
    if (req.method === "GET" && (match = INSTALLATION_ROUTE.exec(path))) {
      return send(res, 200, { id: Number(match[1]), account: { login: `inst-${match[1]}` } });
    }
    if (req.method === "GET" && path === "/app") {
      return send(res, 200, { id: 1, slug: "bench", name: "bench" });
    }
    if (state.unexpected.length < 100) state.unexpected.push(`${req.method} ${path}`);
    send(res, 404, { message: "Not Found" });
  }

  const server = createServer({ keepAliveTimeout: 60_000 }, (req, res) => {
    const url = req.url.startsWith("/_bench/") ? new URL(req.url, "http://127.0.0.1") : undefined;
    if (url) return control(req, res, url);
    const chunks = [];
    req.on("data", (chunk) => chunks.push(chunk));
    req.on("end", () => route(req, res, Buffer.concat(chunks)));
  });
  return { server, stats, reset };
}

if (process.send) {
  const { server } = createFakeGitHub();
  server.listen(0, "127.0.0.1", () => process.send({ port: server.address().port }));
  process.on("disconnect", () => process.exit(0));
}
