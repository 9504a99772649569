import type { IncomingHttpHeaders } from "node:http";
import type { Readable } from "node:stream";
import { HookwrightError } from "../errors.js";

/**
 * The request body as received, refused with PAYLOAD_TOO_LARGE as soon as it is known to pass
 * `limit`: from Content-Length before reading, or by counting a chunked upload. Nothing past the
 * cap is kept and the refusal does not wait for the rest, which node reads off and discards
 * (body-parser reads a too-large body to its end before answering).
 */
export function readRawBody(
  req: Readable & { headers: IncomingHttpHeaders },
  limit: number,
): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    if (Number(req.headers["content-length"]) > limit) {
      return reject(new HookwrightError("PAYLOAD_TOO_LARGE"));
    }
    // The signature covers the bytes GitHub sent, which it never compresses.
    const encoding = req.headers["content-encoding"]?.toLowerCase() ?? "identity";
    if (encoding !== "identity") {
      return reject(
        new HookwrightError("UNSUPPORTED_MEDIA_TYPE", "a compressed body is not accepted"),
      );
    }
    const chunks: Buffer[] = [];
    let size = 0;
    const stop = () => {
      req.off("data", onData);
      req.off("end", onEnd);
      req.off("error", onError);
    };
    function onData(chunk: Buffer) {
      size += chunk.length;
      if (size <= limit) return void chunks.push(chunk);
      stop();
      chunks.length = 0;
      reject(new HookwrightError("PAYLOAD_TOO_LARGE"));
    }
    function onEnd() {
      stop();
      resolve(Buffer.concat(chunks, size));
    }
    function onError(error: Error) {
      stop();
      reject(error);
    }
    req.on("data", onData);
    req.on("end", onEnd);
    req.on("error", onError);
  });
}
