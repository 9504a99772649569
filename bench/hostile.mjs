// Memory and time under hostile traffic, against `node bin/hookwright.js run` (built): a burst
// of large bodies with bad signatures (peak RSS, the answers' statuses), and slow bodies
// trickled a byte at a time (how long the server keeps them). Never part of `npm test`.
//   node bench/hostile.mjs [repository root to run, default this one]
// BENCH_BODIES (128), BENCH_BODY_MIB (25), BENCH_SLOW (200), BENCH_SLOW_WAIT_S (70); the
// server's REQUEST_BODY_BUDGET_MIB and HTTP_* limits are passed through.
import { Buffer } from "node:buffer";
import { spawn } from "node:child_process";
import { generateKeyPairSync } from "node:crypto";
import { request } from "node:http";
import { connect } from "node:net";
import { resolve } from "node:path";
import { performance } from "node:perf_hooks";
import { clearInterval, setInterval, setTimeout } from "node:timers";
import { memory } from "./lib/proc.mjs";

const root = resolve(process.argv[2] ?? new URL("..", import.meta.url).pathname);
const bodies = Number(process.env.BENCH_BODIES ?? 128);
const bodyMiB = Number(process.env.BENCH_BODY_MIB ?? 25);
const slow = Number(process.env.BENCH_SLOW ?? 200);
const slowWaitS = Number(process.env.BENCH_SLOW_WAIT_S ?? 70);
const port = 30_000 + Math.floor(Math.random() * 20_000);
const GUID = "72d3162e-cc78-11e3-81ab-4c9367dc0958";

const { privateKey } = generateKeyPairSync("rsa", { modulusLength: 2048 });
const child = spawn(process.execPath, [`${root}/bin/hookwright.js`, "run", "greeter"], {
  cwd: root,
  env: {
    PATH: process.env.PATH,
    APP_ID: "1",
    PRIVATE_KEY: privateKey.export({ type: "pkcs1", format: "pem" }).toString(),
    WEBHOOK_SECRET: "bench-hostile-secret-0123456789",
    GITHUB_API_URL: "http://127.0.0.1:9",
    PORT: String(port),
    HOST: "127.0.0.1",
    LOG_LEVEL: "fatal",
    LOG_FORMAT: "json",
    // The limits under test pass through: REQUEST_BODY_BUDGET_MIB, HTTP_*.
    ...Object.fromEntries(
      Object.entries(process.env).filter(([name]) =>
        /^(HTTP_|REQUEST_BODY_BUDGET_MIB$)/.test(name),
      ),
    ),
  },
  stdio: ["ignore", "ignore", "inherit"],
});
const sleep = (ms) => new Promise((done) => setTimeout(done, ms));

async function ready() {
  for (let i = 0; i < 200; i++) {
    const ok = await new Promise((done) => {
      const req = request({ port, host: "127.0.0.1", path: "/ping" }, (res) => {
        res.resume();
        done(res.statusCode === 200);
      });
      req.on("error", () => done(false));
      req.end();
    });
    if (ok) return;
    await sleep(50);
  }
  throw new Error("the server did not start");
}

function badSignature(body) {
  return new Promise((done) => {
    const req = request(
      {
        port,
        host: "127.0.0.1",
        method: "POST",
        path: "/api/github/webhooks",
        headers: {
          "content-type": "application/json",
          "content-length": body.length,
          "x-github-event": "issues",
          "x-github-delivery": GUID,
          "x-hub-signature-256": `sha256=${"0".repeat(64)}`,
        },
      },
      (res) => {
        res.resume();
        res.on("end", () => done(res.statusCode));
      },
    );
    req.on("error", (error) => done(error.code ?? "error"));
    // A server that answers early and closes resets the rest of the upload.
    req.on("socket", (socket) => socket.on("error", () => undefined));
    req.end(body);
  });
}

function slowBody() {
  return new Promise((done) => {
    const started = performance.now();
    const socket = connect(port, "127.0.0.1");
    let timer;
    socket.on("connect", () => {
      socket.write(
        `POST /api/github/webhooks HTTP/1.1\r\nhost: 127.0.0.1\r\ncontent-type: application/json\r\n` +
          `x-github-event: issues\r\nx-github-delivery: ${GUID}\r\n` +
          `x-hub-signature-256: sha256=00\r\ncontent-length: 100000\r\n\r\n`,
      );
      timer = setInterval(() => socket.write("x"), 1000);
    });
    let ended = false;
    const end = (how) => {
      if (ended) return;
      ended = true;
      clearInterval(timer);
      socket.destroy();
      done({ how, s: (performance.now() - started) / 1000 });
    };
    // The server's 408 (or its FIN) is the cut; the reset that follows comes only with the next write.
    socket.on("data", () => end("closed by server"));
    socket.on("end", () => end("closed by server"));
    socket.on("close", () => end("closed by server"));
    socket.on("error", () => end("closed by server"));
    setTimeout(() => end("still open"), slowWaitS * 1000);
  });
}

try {
  await ready();
  const before = memory(child.pid);
  const body = Buffer.alloc(bodyMiB * 1024 * 1024 - 1024, "x");
  const started = performance.now();
  const statuses = await Promise.all(Array.from({ length: bodies }, () => badSignature(body)));
  const burstS = (performance.now() - started) / 1000;
  const after = memory(child.pid);
  const counts = {};
  for (const status of statuses) counts[status] = (counts[status] ?? 0) + 1;
  console.log(
    `${bodies} x ${bodyMiB} MiB bad-signature bodies in ${burstS.toFixed(1)} s: ` +
      `RSS ${before.rssMiB.toFixed(0)} MiB before, peak ${after.peakMiB.toFixed(0)} MiB; answers ${JSON.stringify(counts)}`,
  );
  const slowResults = await Promise.all(Array.from({ length: slow }, slowBody));
  const closed = slowResults.filter((result) => result.how === "closed by server");
  const longest = Math.max(0, ...closed.map((result) => result.s));
  console.log(
    `${slow} bodies at 1 byte/s: ${closed.length} closed by the server within ${slowWaitS} s ` +
      `(the last after ${longest.toFixed(1)} s), ${slow - closed.length} still open`,
  );
} finally {
  child.kill("SIGTERM");
}
