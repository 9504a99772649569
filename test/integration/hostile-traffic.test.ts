import { connect, type Socket } from "node:net";
import type { Server } from "node:http";
import { afterEach, describe, expect, it } from "@jest/globals";
import { createDeliveryEvents } from "../../src/events/delivery-events.js";
import { toErrorBody, toHttpStatus } from "../../src/errors.js";
import { createMetrics } from "../../src/server/create-metrics.js";
import { createServer } from "../../src/server/create-server.js";
import { createLimitedServer, type HttpLimits } from "../../src/server/server-limits.js";
import type { WebhookReceiver } from "../../src/webhooks/create-webhook-receiver.js";
import { parseDelivery } from "../../src/webhooks/parse-delivery.js";
import { captureLogs } from "../helpers/capture-logs.js";

const PATH = "/api/github/webhooks";
const MIB = 1024 * 1024;
const GUID = "72d3162e-cc78-11e3-81ab-4c9367dc0958";

let servers: Server[] = [];
let sockets: Socket[] = [];
afterEach(async () => {
  for (const socket of sockets) socket.destroy();
  for (const server of servers) {
    server.closeAllConnections();
    await new Promise((resolve) => server.close(resolve));
  }
  servers = [];
  sockets = [];
});

/** The real route and checks behind a limited server on loopback; counts what reached the receiver. */
async function serve(limits: Partial<HttpLimits>) {
  const logs = captureLogs();
  let receivedBytes = 0;
  const receiver: WebhookReceiver = {
    async receive(headers, body) {
      receivedBytes += body.length;
      try {
        parseDelivery(headers, body, ["the-real-secret-nobody-knows"]);
        return { status: 200, body: {} };
      } catch (error) {
        return { status: toHttpStatus(error), body: toErrorBody(error) };
      }
    },
  };
  const { app } = createServer({
    receiver,
    webhookPath: PATH,
    logger: logs.logger,
    readiness: () => "ready",
    metrics: createMetrics({ events: createDeliveryEvents(), inFlight: () => 0 }),
    bodyBudgetBytes: limits.bodyBudgetBytes,
  });
  const server = createLimitedServer(limits);
  server.on("request", app);
  servers.push(server);
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const port = (server.address() as { port: number }).port;
  return { port, logs, receivedBytes: () => receivedBytes };
}

interface Raw {
  socket: Socket;
  /** Everything the server wrote back. */
  text: () => string;
  /** Resolves with the milliseconds from opening until the server closed the connection. */
  closed: Promise<number>;
}

function open(port: number): Promise<Raw> {
  return new Promise((resolve, reject) => {
    const started = performance.now();
    const socket = connect(port, "127.0.0.1");
    sockets.push(socket);
    let received = "";
    socket.on("data", (chunk: Buffer) => (received += chunk.toString("latin1")));
    socket.on("error", () => undefined);
    const closed = new Promise<number>((done) =>
      socket.on("close", () => done(performance.now() - started)),
    );
    socket.once("connect", () => resolve({ socket, text: () => received, closed }));
    socket.once("error", reject);
  });
}

function head(length: number, extra = ""): string {
  return (
    `POST ${PATH} HTTP/1.1\r\nhost: 127.0.0.1\r\ncontent-type: application/json\r\n` +
    `x-github-event: issues\r\nx-github-delivery: ${GUID}\r\n` +
    `x-hub-signature-256: sha256=${"0".repeat(64)}\r\ncontent-length: ${length}\r\n${extra}\r\n`
  );
}

const statusOf = (text: string) => Number(/^HTTP\/1\.1 (\d{3})/.exec(text)?.[1] ?? 0);

async function until(what: string, condition: () => boolean, ms = 5000): Promise<void> {
  const started = performance.now();
  while (!condition()) {
    if (performance.now() - started > ms) throw new Error(`${what} took over ${ms} ms`);
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
}

describe("under hostile traffic", () => {
  it("keeps the bytes of many concurrent large bad-signature bodies within the budget: the rest get 503 at once", async () => {
    const budget = 8 * MIB;
    const { port, receivedBytes } = await serve({ bodyBudgetBytes: budget });
    const size = 2 * MIB;
    const clients = await Promise.all(Array.from({ length: 12 }, () => open(port)));
    // Each declares 2 MiB and sends its first half, then stalls: only 4 fit in 8 MiB.
    const half = Buffer.alloc(MIB, "x");
    for (const client of clients) client.socket.write(head(size) + half.toString("latin1"));
    await until("8 refusals", () => clients.filter((c) => c.text() !== "").length === 8);
    const answered = clients.filter((client) => client.text() !== "");
    for (const client of answered) {
      expect(statusOf(client.text())).toBe(503);
      expect(client.text()).toMatch(/\r\nretry-after: 5\r\n/i);
      expect(client.text()).toContain('"code":"SERVER_BUSY"');
    }
    // The four held bodies finish, are checked and refused for their signature.
    const held = clients.filter((client) => client.text() === "");
    expect(held).toHaveLength(4);
    for (const client of held) client.socket.write(half);
    await until("4 signature refusals", () => held.every((c) => statusOf(c.text()) === 401));
    expect(receivedBytes()).toBe(4 * size);
    // Nothing is still reserved: another full budget's worth is taken in again.
    const again = await Promise.all(Array.from({ length: 4 }, () => open(port)));
    for (const client of again)
      client.socket.write(head(size) + Buffer.alloc(size, "y").toString("latin1"));
    await until("4 more signature refusals", () => again.every((c) => statusOf(c.text()) === 401));
  });

  it("answers 503 to a chunked body once it would take the budget past its end", async () => {
    const { port, receivedBytes } = await serve({ bodyBudgetBytes: MIB });
    const client = await open(port);
    client.socket.write(head(0).replace("content-length: 0\r\n", "transfer-encoding: chunked\r\n"));
    const chunk = Buffer.alloc(256 * 1024, "z");
    for (let i = 0; i < 6; i++) {
      client.socket.write(`${chunk.length.toString(16)}\r\n`);
      client.socket.write(chunk);
      client.socket.write("\r\n");
    }
    await until("a 503", () => statusOf(client.text()) === 503);
    expect(receivedBytes()).toBe(0);
  });

  it("cuts a body sent a byte at a time at the request timeout", async () => {
    const { port, receivedBytes } = await serve({ requestTimeoutMs: 300, headersTimeoutMs: 200 });
    const client = await open(port);
    client.socket.write(head(1000));
    const drip = setInterval(() => client.socket.write("x"), 50);
    try {
      const closedAfter = await client.closed;
      expect(statusOf(client.text())).toBe(408);
      expect(closedAfter).toBeGreaterThanOrEqual(290);
      // The timeout is checked every quarter of it: cut well before the next check would pass.
      expect(closedAfter).toBeLessThan(1500);
    } finally {
      clearInterval(drip);
    }
    expect(receivedBytes()).toBe(0);
  });

  it("does not cut an answer that takes longer than the request timeout once the request is in", async () => {
    const server = createLimitedServer({ requestTimeoutMs: 200, headersTimeoutMs: 100 });
    server.on("request", (_req, res) => {
      res.writeHead(200).write("open\n");
      setTimeout(() => res.end("done\n"), 600);
    });
    servers.push(server);
    await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
    const response = await fetch(
      `http://127.0.0.1:${(server.address() as { port: number }).port}/`,
    );
    expect(await response.text()).toBe("open\ndone\n");
  });

  it("closes a connection whose headers never finish at the headers timeout", async () => {
    const { port } = await serve({ requestTimeoutMs: 1000, headersTimeoutMs: 200 });
    const client = await open(port);
    client.socket.write(`POST ${PATH} HTTP/1.1\r\nhost: 127.0.0.1\r\n`);
    const closedAfter = await client.closed;
    expect(closedAfter).toBeGreaterThanOrEqual(190);
    expect(closedAfter).toBeLessThan(1000);
  });

  it("closes an idle keep-alive connection at the keep-alive timeout", async () => {
    const { port } = await serve({ keepAliveTimeoutMs: 200 });
    const client = await open(port);
    client.socket.write("GET /health HTTP/1.1\r\nhost: 127.0.0.1\r\n\r\n");
    await until("the answer", () => statusOf(client.text()) === 200);
    const closedAfter = await client.closed;
    expect(closedAfter).toBeLessThan(2000);
  });

  it("closes connections over the cap at once, and serves the ones it holds", async () => {
    const { port } = await serve({ maxConnections: 3 });
    const kept = await Promise.all([open(port), open(port), open(port)]);
    await until("three kept", () => kept.length === 3);
    const extra = await open(port);
    const closedAfter = await extra.closed;
    expect(extra.text()).toBe("");
    expect(closedAfter).toBeLessThan(1000);
    kept[0]!.socket.write("GET /health HTTP/1.1\r\nhost: 127.0.0.1\r\n\r\n");
    await until("the kept connection's answer", () => statusOf(kept[0]!.text()) === 200);
  });
});
