import http from "node:http";
import https from "node:https";
import type { Readable } from "node:stream";
import zlib from "node:zlib";

const REDIRECTS = new Set([301, 302, 303, 307, 308]);
const MAX_REDIRECTS = 20;
const NULL_BODY = new Set([101, 103, 204, 205, 304]);

interface Outgoing {
  url: URL;
  method: string;
  headers: Headers;
  body: Buffer | undefined;
  signal: AbortSignal | undefined;
  redirect: NonNullable<RequestInit["redirect"]>;
}

/**
 * `fetch` made of `node:http`/`node:https`, whose `request` is looked up at each call. nock 12
 * and 13 patch only those modules, so the tests of Probot apps written against them (Probot ≤
 * 12 made its requests that way) intercept these calls; nock 14 intercepts both.
 * Follows redirects as fetch does, decompresses gzip/deflate/br, honours `signal`.
 */
export const nodeHttpFetch: typeof fetch = async (input, init) => {
  const request = input instanceof Request ? input : undefined;
  const rawBody = init?.body !== undefined ? init.body : request?.body;
  const outgoing: Outgoing = {
    url: new URL(request ? request.url : String(input)),
    method: (init?.method ?? request?.method ?? "GET").toUpperCase(),
    headers: new Headers(init?.headers ?? request?.headers),
    body: rawBody == null ? undefined : Buffer.from(await new Response(rawBody).arrayBuffer()),
    signal: init?.signal ?? request?.signal ?? undefined,
    redirect: init?.redirect ?? request?.redirect ?? "follow",
  };
  for (let hops = 0; ; hops++) {
    const response = await send(outgoing);
    const location = response.headers.location;
    if (!REDIRECTS.has(response.statusCode ?? 0) || !location || outgoing.redirect === "manual") {
      return toResponse(response, outgoing.url, hops > 0);
    }
    response.resume();
    if (outgoing.redirect === "error" || hops === MAX_REDIRECTS) {
      throw new TypeError("fetch failed", { cause: new Error(`redirect to ${location}`) });
    }
    follow(outgoing, response.statusCode!, new URL(location, outgoing.url));
  }
};

// What fetch does on a redirect: https://fetch.spec.whatwg.org/#http-redirect-fetch
function follow(outgoing: Outgoing, status: number, next: URL): void {
  if (status === 303 || ((status === 301 || status === 302) && outgoing.method === "POST")) {
    if (outgoing.method !== "HEAD") outgoing.method = "GET";
    outgoing.body = undefined;
    for (const name of ["content-type", "content-length", "content-encoding"]) {
      outgoing.headers.delete(name);
    }
  }
  if (next.origin !== outgoing.url.origin) {
    outgoing.headers.delete("authorization");
    outgoing.headers.delete("cookie");
  }
  outgoing.url = next;
}

function send(outgoing: Outgoing): Promise<http.IncomingMessage> {
  const { url, method, headers, body, signal } = outgoing;
  const module = url.protocol === "https:" ? https : http;
  const sent: Record<string, string> = {};
  headers.forEach((value, name) => (sent[name] = value));
  if (body !== undefined) sent["content-length"] = String(body.length);
  return new Promise((resolve, reject) => {
    if (signal?.aborted) return reject(signal.reason);
    // Not http.request's `signal` option: nock 13's patched request ignores it.
    const req = module.request(url, { method, headers: sent }, (message) => {
      signal?.removeEventListener("abort", abort);
      if (signal) {
        const stop = () => message.destroy(signal.reason);
        signal.addEventListener("abort", stop, { once: true });
        message.once("close", () => signal.removeEventListener("abort", stop));
      }
      resolve(message);
    });
    const abort = () => {
      reject(signal!.reason);
      req.destroy();
    };
    signal?.addEventListener("abort", abort, { once: true });
    req.on("error", (error) => {
      signal?.removeEventListener("abort", abort);
      reject(signal?.aborted ? signal.reason : fetchFailed(error));
    });
    req.end(body);
  });
}

function fetchFailed(cause: Error): TypeError {
  return new TypeError("fetch failed", { cause });
}

function toResponse(message: http.IncomingMessage, url: URL, redirected: boolean): Response {
  const headers = new Headers();
  for (let i = 0; i < message.rawHeaders.length; i += 2) {
    headers.append(message.rawHeaders[i]!, message.rawHeaders[i + 1]!);
  }
  const status = message.statusCode ?? 500;
  const body = NULL_BODY.has(status) ? null : decoded(message, headers);
  if (body === null) message.resume();
  const response = new Response(body && toWebStream(body), {
    status,
    statusText: message.statusMessage,
    headers,
  });
  Object.defineProperty(response, "url", { value: url.href });
  Object.defineProperty(response, "redirected", { value: redirected });
  return response;
}

/**
 * The body as a web stream, made here rather than by `Readable.toWeb`: on Node 26, inside a
 * test runner's vm context (jest), `toWeb` throws "init.highWaterMark is required". Reading
 * pauses while the consumer's queue is full.
 */
function toWebStream(body: Readable): ReadableStream<Uint8Array> {
  return new ReadableStream<Uint8Array>({
    start(controller) {
      body.on("data", (chunk: Buffer) => {
        controller.enqueue(new Uint8Array(chunk.buffer, chunk.byteOffset, chunk.byteLength));
        if ((controller.desiredSize ?? 0) <= 0) body.pause();
      });
      body.once("end", () => controller.close());
      body.once("error", (error) => controller.error(error));
    },
    pull() {
      body.resume();
    },
    cancel(reason) {
      body.destroy(reason instanceof Error ? reason : undefined);
    },
  });
}

function decoded(message: http.IncomingMessage, headers: Headers): Readable {
  const encoding = headers.get("content-encoding")?.trim().toLowerCase();
  const decoder =
    encoding === "gzip" || encoding === "x-gzip"
      ? zlib.createGunzip()
      : encoding === "deflate"
        ? zlib.createInflate()
        : encoding === "br"
          ? zlib.createBrotliDecompress()
          : undefined;
  if (decoder === undefined) return message;
  message.on("error", (error) => decoder.destroy(error));
  return message.pipe(decoder);
}
