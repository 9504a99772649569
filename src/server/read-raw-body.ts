import type { IncomingHttpHeaders } from "node:http";
import type { Readable } from "node:stream";
import { HookwrightError } from "../errors.js";
import type { BodyClaim } from "./body-budget.js";

const busy = () => new HookwrightError("SERVER_BUSY");

/**
 * The request body as received, refused with PAYLOAD_TOO_LARGE as soon as it is known to pass
 * `limit`: from Content-Length before reading, or by counting a chunked upload. Nothing past the
 * cap is kept and the refusal does not wait for the rest, which node reads off and discards
 * (body-parser reads a too-large body to its end before answering).
 * With a `claim`, every byte kept is taken from the shared body budget first (a declared
 * Content-Length all at once, before reading): SERVER_BUSY when it cannot be.
 */
export function readRawBody(
  req: Readable & { headers: IncomingHttpHeaders },
  limit: number,
  claim?: BodyClaim,
): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    const declared = Number(req.headers["content-length"]);
    if (declared > limit) {
      return reject(new HookwrightError("PAYLOAD_TOO_LARGE"));
    }
    // The signature covers the bytes GitHub sent, which it never compresses.
    const encoding = req.headers["content-encoding"]?.toLowerCase() ?? "identity";
    if (encoding !== "identity") {
      return reject(
        new HookwrightError("UNSUPPORTED_MEDIA_TYPE", "a compressed body is not accepted"),
      );
    }
    let taken = 0;
    if (claim && declared > 0) {
      if (!claim.take(declared)) return reject(busy());
      taken = declared;
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
      const over = size > limit;
      const spent = !over && claim !== undefined && size > taken && !claim.take(size - taken);
      if (!over && !spent) {
        taken = Math.max(taken, size);
        return void chunks.push(chunk);
      }
      stop();
      chunks.length = 0;
      reject(over ? new HookwrightError("PAYLOAD_TOO_LARGE") : busy());
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
