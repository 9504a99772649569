import type { Request, Response } from "express";
import type { DeliveryLog } from "./delivery-log.js";

// Proxies close a stream that stays silent; a comment line every so often keeps it open.
const KEEPALIVE_MS = 25_000;

/**
 * A server-sent event stream: one `delivery` event (its data the entry's seq) whenever a
 * delivery changes. Returns the function that ends it.
 */
export function openStream(req: Request, res: Response, log: DeliveryLog): () => void {
  res.writeHead(200, {
    "content-type": "text/event-stream",
    "cache-control": "no-store",
    "x-accel-buffering": "no",
  });
  res.write(": open\n\n");
  const unsubscribe = log.subscribe((seq) => void res.write(`event: delivery\ndata: ${seq}\n\n`));
  const keepalive = setInterval(() => res.write(": keepalive\n\n"), KEEPALIVE_MS);
  let ended = false;
  const end = () => {
    if (ended) return;
    ended = true;
    clearInterval(keepalive);
    unsubscribe();
    res.end();
  };
  req.on("close", end);
  return end;
}
