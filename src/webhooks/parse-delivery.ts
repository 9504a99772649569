import { HookwrightError } from "../errors.js";
import { verifySignature } from "./verify-signature.js";

/** A verified webhook delivery. */
export interface Delivery {
  /** X-GitHub-Delivery: the same on every redelivery of one event. */
  id: string;
  /** X-GitHub-Event, e.g. "issues". */
  name: string;
  payload: Record<string, unknown>;
}

export type Headers = Record<string, string | string[] | undefined>;

// GitHub's event names are lowercase words joined by underscores, and its delivery ids GUIDs:
// https://docs.github.com/en/webhooks/webhook-events-and-payloads#delivery-headers
// `error` is the event handler's own failure event, and a name on Object.prototype would reach
// lookups keyed by event name (handlers, metrics) as something that is not a handler list.
const EVENT_NAME = /^[a-z][a-z_]{0,63}$/;
const RESERVED_NAMES = new Set(["error", ...Object.getOwnPropertyNames(Object.prototype)]);
const DELIVERY_ID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

export function isEventName(name: string): boolean {
  return EVENT_NAME.test(name) && !RESERVED_NAMES.has(name);
}

export function isDeliveryId(id: string): boolean {
  return DELIVERY_ID.test(id);
}

function header(headers: Headers, name: string): string | undefined {
  const value = headers[name];
  return Array.isArray(value) ? value[0] : value;
}

function mediaType(headers: Headers): string {
  return (header(headers, "content-type") ?? "").split(";")[0]!.trim().toLowerCase();
}

/** GitHub's form content type sends the JSON in a `payload` field; the signature covers the form bytes. */
function payloadText(type: string, body: Buffer): string | undefined {
  if (type === "application/json") return body.toString("utf8");
  return new URLSearchParams(body.toString("utf8")).get("payload") ?? undefined;
}

/**
 * The checks of CONTRACT §4 that need only the request, in order: media type, headers (present,
 * then in GitHub's form, so nothing a stranger makes up reaches a log line or a lookup),
 * signature over the raw bytes, then (only once verified) the JSON.
 */
export function parseDelivery(
  headers: Headers,
  body: Buffer,
  secrets: readonly string[],
): Delivery {
  const type = mediaType(headers);
  if (type !== "application/json" && type !== "application/x-www-form-urlencoded") {
    throw new HookwrightError(
      "UNSUPPORTED_MEDIA_TYPE",
      "content type must be application/json or application/x-www-form-urlencoded",
    );
  }
  const name = header(headers, "x-github-event");
  const id = header(headers, "x-github-delivery");
  const signature = header(headers, "x-hub-signature-256");
  const missing = [
    name ? undefined : "X-GitHub-Event",
    id ? undefined : "X-GitHub-Delivery",
    signature ? undefined : "X-Hub-Signature-256",
  ].filter(Boolean);
  if (missing.length > 0 || !name || !id || !signature) {
    throw new HookwrightError("MISSING_HEADER", `missing header: ${missing.join(", ")}`);
  }
  if (!isEventName(name)) {
    throw new HookwrightError("INVALID_HEADER", "X-GitHub-Event is not a GitHub event name");
  }
  if (!isDeliveryId(id)) {
    throw new HookwrightError("INVALID_HEADER", "X-GitHub-Delivery is not a GUID");
  }
  if (!verifySignature(secrets, body, signature)) {
    throw new HookwrightError("SIGNATURE_MISMATCH", "signature does not match the request body");
  }
  let payload: unknown;
  try {
    payload = JSON.parse(payloadText(type, body) ?? "");
  } catch {
    throw new HookwrightError("INVALID_PAYLOAD", "the body is not valid JSON");
  }
  if (payload === null || typeof payload !== "object" || Array.isArray(payload)) {
    throw new HookwrightError("INVALID_PAYLOAD", "the body is not a JSON object");
  }
  return { id, name, payload: payload as Record<string, unknown> };
}
