import { describe, expect, it } from "@jest/globals";
import type { IncomingHttpHeaders } from "node:http";
import { PassThrough } from "node:stream";
import { HookwrightError } from "../../../src/errors.js";
import { readRawBody } from "../../../src/server/read-raw-body.js";

function requestStream(headers: IncomingHttpHeaders = {}) {
  return Object.assign(new PassThrough(), { headers });
}

async function codeOf(promise: Promise<unknown>): Promise<string> {
  const error = await promise.then(
    () => undefined,
    (failure: unknown) => failure,
  );
  expect(error).toBeInstanceOf(HookwrightError);
  return (error as HookwrightError).code;
}

describe("readRawBody", () => {
  it("returns the bytes exactly as sent, across chunks", async () => {
    const req = requestStream();
    const reading = readRawBody(req, 100);
    req.write(Buffer.from('{ "a" :'));
    req.end(Buffer.from(" 1 }\n"));
    expect((await reading).toString("utf8")).toBe('{ "a" : 1 }\n');
  });

  it("accepts a body of exactly the limit", async () => {
    const req = requestStream({ "content-length": "10" });
    const reading = readRawBody(req, 10);
    req.end(Buffer.alloc(10, 0x61));
    expect((await reading).length).toBe(10);
  });

  it("refuses a declared Content-Length over the limit before reading anything", async () => {
    const req = requestStream({ "content-length": "11" });
    expect(await codeOf(readRawBody(req, 10))).toBe("PAYLOAD_TOO_LARGE");
    expect(req.listenerCount("data")).toBe(0);
  });

  it("refuses an undeclared body as soon as it passes the limit, before it ends", async () => {
    const req = requestStream();
    const reading = readRawBody(req, 10);
    req.write(Buffer.alloc(6));
    req.write(Buffer.alloc(6));
    expect(await codeOf(reading)).toBe("PAYLOAD_TOO_LARGE");
    // It no longer listens, so what follows is not kept.
    expect(req.listenerCount("data")).toBe(0);
  });

  it("refuses a compressed body as an unsupported media type", async () => {
    const req = requestStream({ "content-encoding": "gzip" });
    expect(await codeOf(readRawBody(req, 10))).toBe("UNSUPPORTED_MEDIA_TYPE");
  });

  it("accepts an identity content encoding", async () => {
    const req = requestStream({ "content-encoding": "identity" });
    const reading = readRawBody(req, 10);
    req.end("{}");
    expect((await reading).toString()).toBe("{}");
  });

  it("rejects with the stream's error when the client goes away", async () => {
    const req = requestStream();
    const reading = readRawBody(req, 10);
    req.destroy(new Error("aborted"));
    await expect(reading).rejects.toThrow("aborted");
  });
});
