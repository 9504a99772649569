import { createServer, type IncomingMessage, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";

export interface LoopbackServer {
  /** e.g. `http://127.0.0.1:41234` */
  url: string;
  close(): Promise<void>;
}

async function toRequest(
  req: IncomingMessage,
  fallbackHost: string,
  signal: AbortSignal,
): Promise<Request> {
  const chunks: Buffer[] = [];
  for await (const chunk of req) chunks.push(chunk as Buffer);
  const headers = new Headers();
  for (let i = 0; i + 1 < req.rawHeaders.length; i += 2) {
    headers.append(req.rawHeaders[i] ?? "", req.rawHeaders[i + 1] ?? "");
  }
  const method = req.method ?? "GET";
  const hasBody = method !== "GET" && method !== "HEAD" && chunks.length > 0;
  return new Request(`http://${req.headers.host ?? fallbackHost}${req.url ?? "/"}`, {
    method,
    headers,
    signal,
    ...(hasBody && { body: Buffer.concat(chunks) }),
  });
}

/** Headers at once, then the body as it comes: a trickled answer must reach the client slowly. */
async function writeResponse(response: Response, res: ServerResponse): Promise<void> {
  res.writeHead(response.status, Object.fromEntries(response.headers.entries()));
  if (response.body === null) {
    res.end();
    return;
  }
  for await (const chunk of response.body) res.write(chunk);
  res.end();
}

/** Serves a web-standard `handle` on 127.0.0.1 and a free port: the thin adapter over the core. */
export async function serveOnLoopback(
  handle: (request: Request) => Promise<Response>,
): Promise<LoopbackServer> {
  let host = "127.0.0.1";
  const server = createServer((req, res) => {
    // A client that gives up closes the socket: the request's signal tells a stalled answer.
    const aborted = new AbortController();
    res.once("close", () => {
      if (!res.writableFinished) aborted.abort();
    });
    toRequest(req, host, aborted.signal)
      .then(handle)
      .then((response) => writeResponse(response, res))
      .catch((error: unknown) => {
        if (res.headersSent || aborted.signal.aborted) {
          res.destroy();
          return;
        }
        res.writeHead(500, { "content-type": "application/json; charset=utf-8" });
        res.end(JSON.stringify({ message: `fake GitHub failed: ${String(error)}` }));
      });
  });
  await new Promise<void>((resolve, reject) => {
    server.once("error", reject);
    server.listen(0, "127.0.0.1", () => resolve());
  });
  const { port } = server.address() as AddressInfo;
  host = `127.0.0.1:${port}`;
  return {
    url: `http://${host}`,
    close: () =>
      new Promise<void>((resolve, reject) => {
        server.close((error) => (error ? reject(error) : resolve()));
        // fetch keeps connections alive; without this, close waits for them to time out.
        server.closeAllConnections();
      }),
  };
}
