import { createServer, type ServerResponse } from "node:http";
import { afterEach, describe, expect, it } from "@jest/globals";
import type { App } from "../../src/app/app.js";
import { createApp, type Hookwright } from "../../src/app/create-app.js";
import { createDeliveryLog, type DeliveryEntry } from "../../src/console/delivery-log.js";
import { createTunnel, type Tunnel } from "../../src/tunnel/create-tunnel.js";
import { captureLogs } from "../helpers/capture-logs.js";
import { testKeys } from "../helpers/keys.js";
import { createSignedDelivery, loadFixture } from "../helpers/signed-delivery.js";
import { createPrivateKey } from "node:crypto";

const SECRET = "tunnel-webhook-secret";

/**
 * A channel server speaking smee.io's protocol: GET with `Accept: text/event-stream` opens the
 * stream (a `ready` event first), and every POST to the channel becomes one message carrying
 * the request headers, `body` (the parsed JSON), `query` and `timestamp`, plus `rawdata` (the
 * exact body) when `keepRaw` is set, as newer smee servers send.
 */
async function startChannel(keepRaw: boolean) {
  const listeners = new Set<ServerResponse>();
  let id = 0;
  const server = createServer((req, res) => {
    if (req.method === "GET" && req.headers.accept === "text/event-stream") {
      res.writeHead(200, { "content-type": "text/event-stream", "cache-control": "no-cache" });
      res.write(`id: ${id++}\nevent: ready\ndata: {}\n\n`);
      listeners.add(res);
      req.on("close", () => listeners.delete(res));
      return;
    }
    const chunks: Buffer[] = [];
    req.on("data", (chunk: Buffer) => chunks.push(chunk));
    req.on("end", () => {
      const raw = Buffer.concat(chunks).toString("utf8");
      const message = {
        ...req.headers,
        body: JSON.parse(raw) as unknown,
        query: {},
        timestamp: Date.now(),
        ...(keepRaw && { rawdata: raw }),
      };
      for (const listener of listeners)
        listener.write(`id: ${id++}\ndata: ${JSON.stringify(message)}\n\n`);
      res.writeHead(200).end();
    });
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const url = `http://127.0.0.1:${(server.address() as { port: number }).port}/channel`;
  return {
    url,
    close: () => {
      for (const listener of listeners) listener.end();
      server.closeAllConnections();
      return new Promise((resolve) => server.close(resolve));
    },
  };
}

let cleanup: (() => Promise<unknown>)[] = [];
afterEach(async () => {
  for (const step of cleanup.reverse()) await step();
  cleanup = [];
});

async function start(keepRaw: boolean) {
  const channel = await startChannel(keepRaw);
  const log = createDeliveryLog();
  const logs = captureLogs();
  const hookwright: Hookwright = createApp({
    credentials: {
      appId: "1",
      privateKey: createPrivateKey(testKeys().privateKeyPem),
      webhookSecrets: [SECRET],
    },
    dependencies: { logger: logs.logger },
  });
  log.attach(hookwright.events);
  const received: { id: string; name: string }[] = [];
  await hookwright.load((app: App) => {
    app.onAny(async (context) => void received.push({ id: context.id, name: context.name }));
  }, "recorder");
  const server = await hookwright.listen(0, "127.0.0.1");
  const target = `http://127.0.0.1:${(server.address() as { port: number }).port}/api/github/webhooks`;
  const tunnel: Tunnel = createTunnel({ source: channel.url, target, logger: logs.logger });
  await tunnel.start();
  cleanup.push(
    () => channel.close(),
    () => hookwright.close(100),
    () => tunnel.stop(),
  );
  /** Resolves with the log entry once the receiver has answered the delivery. */
  const answered = (id: string) =>
    new Promise<DeliveryEntry>((resolve) => {
      const check = () => {
        const entry = log
          .list()
          .find((candidate) => candidate.id === id && candidate.status !== null);
        if (entry) resolve(entry);
      };
      log.subscribe(check);
      check();
    });
  const post = (headers: Record<string, string>, body: Buffer) =>
    fetch(channel.url, { method: "POST", headers, body });
  return { received, answered, post };
}

describe("tunnel from a smee channel", () => {
  it("forwards GitHub's compact JSON so its signature verifies and the handlers run", async () => {
    const { received, answered, post } = await start(false);
    const delivery = createSignedDelivery({
      secret: SECRET,
      event: "issues",
      rawBody: loadFixture("issues.opened"),
    });
    await post(delivery.headers, delivery.body);
    expect(await answered(delivery.id)).toMatchObject({
      status: 200,
      outcome: "completed",
      event: "issues.opened",
    });
    expect(received).toEqual([{ id: delivery.id, name: "issues" }]);
  });

  it("forwards the exact bytes when the channel keeps them, so any formatting still verifies", async () => {
    const { received, answered, post } = await start(true);
    const pretty = JSON.stringify({ action: "created", note: "caf\u00e9 <b>", n: 1 }, null, 2);
    const delivery = createSignedDelivery({ secret: SECRET, event: "star", rawBody: pretty });
    await post(delivery.headers, delivery.body);
    expect(await answered(delivery.id)).toMatchObject({ status: 200, outcome: "completed" });
    expect(received.map((r) => r.id)).toEqual([delivery.id]);
  });

  it("cannot restore a reformatted body without the exact bytes: the signature check refuses it", async () => {
    const { received, answered, post } = await start(false);
    const pretty = JSON.stringify({ action: "created" }, null, 2);
    const delivery = createSignedDelivery({ secret: SECRET, event: "star", rawBody: pretty });
    await post(delivery.headers, delivery.body);
    expect(await answered(delivery.id)).toMatchObject({ status: 401, outcome: "refused" });
    expect(received).toEqual([]);
  });
});
