/** What the tunnel POSTs to the local webhook path for one smee message. */
export interface ForwardedRequest {
  headers: Record<string, string>;
  body: string;
}

// Headers that describe smee's own hop (or that fetch sets itself) are not passed on.
const HOP_HEADERS = new Set([
  "host",
  "connection",
  "content-length",
  "transfer-encoding",
  "accept-encoding",
  "keep-alive",
  "via",
  "x-forwarded-for",
  "x-forwarded-proto",
  "x-forwarded-port",
  "x-forwarded-host",
  "x-request-id",
  "x-request-start",
]);
// smee puts these beside the headers in each message; they are not headers.
const SMEE_FIELDS = new Set(["body", "query", "timestamp", "rawdata", "rawbody"]);

/**
 * Rebuilds GitHub's request from one smee event-stream message: the request headers,
 * `body` (the parsed payload) and, from smee servers that keep it, `rawdata` (the exact body).
 * The signature covers the bytes GitHub sent, so the exact body is used when present; else
 * the payload is serialised compactly, which is the form GitHub sends JSON in. A form-encoded
 * delivery is encoded again as `payload=`.
 * Returns undefined for a message that is not a delivery (smee's `ready` and `ping`).
 */
export function toForwardedRequest(data: string): ForwardedRequest | undefined {
  let message: Record<string, unknown>;
  try {
    message = JSON.parse(data) as Record<string, unknown>;
  } catch {
    return undefined;
  }
  if (message === null || typeof message !== "object" || message.body === undefined) {
    return undefined;
  }
  const headers: Record<string, string> = {};
  for (const [name, value] of Object.entries(message)) {
    const lower = name.toLowerCase();
    if (SMEE_FIELDS.has(lower) || HOP_HEADERS.has(lower) || typeof value !== "string") continue;
    headers[lower] = value;
  }
  const raw = message.rawdata ?? message.rawbody;
  if (typeof raw === "string") return { headers, body: raw };
  const type = (headers["content-type"] ?? "").split(";")[0]!.trim().toLowerCase();
  const payload = (message.body as { payload?: unknown } | null)?.payload;
  if (type === "application/x-www-form-urlencoded" && typeof payload === "string") {
    return { headers, body: new URLSearchParams({ payload }).toString() };
  }
  headers["content-type"] = "application/json";
  return { headers, body: JSON.stringify(message.body) };
}
