// The load generator: signed POSTs over keep-alive loopback connections, bounded in count
// and time.
import { Agent, request } from "node:http";
import { performance } from "node:perf_hooks";

export const WEBHOOK_PATH = "/api/github/webhooks";

export function createAgent(sockets) {
  return new Agent({ keepAlive: true, maxSockets: sockets, maxFreeSockets: sockets });
}

/** One delivery; resolves with its status and latency (status 0: connection error or timeout). */
export function post(agent, port, d, timeoutMs = 30_000) {
  return new Promise((resolve) => {
    const started = performance.now();
    const req = request(
      {
        host: "127.0.0.1",
        port,
        path: WEBHOOK_PATH,
        method: "POST",
        agent,
        timeout: timeoutMs,
        headers: {
          "content-type": "application/json",
          "content-length": d.body.length,
          "x-github-event": d.event,
          "x-github-delivery": d.id,
          "x-hub-signature-256": d.signature,
          "user-agent": "GitHub-Hookshot/bench",
        },
      },
      (res) => {
        res.resume();
        res.on("end", () => resolve({ status: res.statusCode, ms: performance.now() - started }));
      },
    );
    req.on("timeout", () => req.destroy(new Error("timeout")));
    req.on("error", (error) =>
      resolve({ status: 0, ms: performance.now() - started, error: error.message }),
    );
    req.end(d.body);
  });
}

/**
 * Sends every delivery with `concurrency` in flight; stops early past `deadlineMs`. With
 * `ports`, delivery i goes to ports[i % ports.length] (receivers behind a round-robin balancer).
 */
export async function runLoad({
  port,
  ports = [port],
  deliveries,
  concurrency,
  deadlineMs = 120_000,
  agent,
}) {
  const ownAgent = agent ?? createAgent(concurrency);
  const results = new Array(deliveries.length);
  let next = 0;
  const started = performance.now();
  const stopAt = started + deadlineMs;
  async function worker() {
    while (next < deliveries.length && performance.now() < stopAt) {
      const index = next++;
      results[index] = await post(ownAgent, ports[index % ports.length], deliveries[index]);
    }
  }
  await Promise.all(Array.from({ length: Math.min(concurrency, deliveries.length) }, worker));
  const wallMs = performance.now() - started;
  if (!agent) ownAgent.destroy();
  const done = results.filter(Boolean);
  const statuses = {};
  for (const r of done) statuses[r.status] = (statuses[r.status] ?? 0) + 1;
  const latencies = done.map((r) => r.ms).sort((a, b) => a - b);
  return {
    sent: done.length,
    wallMs,
    statuses,
    ok: done.filter((r) => r.status === 200).length,
    accepted: done.filter((r) => r.status >= 200 && r.status < 300).length,
    p50: latencies[Math.floor(latencies.length * 0.5)] ?? NaN,
    p99: latencies[Math.floor(latencies.length * 0.99)] ?? NaN,
    firstError: done.find((r) => r.error)?.error,
  };
}
