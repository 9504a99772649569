import { createHmac, randomUUID } from "node:crypto";
import { loadFixture } from "./fixtures.js";

export type DeliveryContentType = "application/json" | "application/x-www-form-urlencoded";

export interface SignedDeliveryOptions {
  secret: string;
  /** The `X-GitHub-Event` value; an `issues.opened`-style name is cut to `issues`. */
  event: string;
  /** Serialised with JSON.stringify; ignored when `rawBody` or `fixture` is given. */
  payload?: unknown;
  /** The JSON document byte for byte, e.g. from `loadFixture`. */
  rawBody?: Buffer | string;
  /** A shipped fixture's name, e.g. "issues.opened": its bytes are the body. */
  fixture?: string;
  /** `X-GitHub-Delivery`; a random UUID by default. */
  id?: string;
  contentType?: DeliveryContentType;
}

export interface SignedDelivery {
  headers: Record<string, string>;
  body: Buffer;
  id: string;
}

/**
 * `sha256=` and the hex HMAC of the exact bytes, as GitHub computes `X-Hub-Signature-256`.
 * https://docs.github.com/en/webhooks/using-webhooks/validating-webhook-deliveries
 */
export function signBody(secret: string, body: Buffer | string): string {
  return `sha256=${createHmac("sha256", secret).update(body).digest("hex")}`;
}

/**
 * A webhook delivery as GitHub sends it: headers and the signed body bytes.
 *
 * @example
 * const { headers, body } = createSignedDelivery({ secret, event: "issues", fixture: "issues.opened" });
 * await request(app).post("/api/github/webhooks").set(headers).send(body);
 */
export function createSignedDelivery(options: SignedDeliveryOptions): SignedDelivery {
  const contentType = options.contentType ?? "application/json";
  const raw =
    options.rawBody ?? (options.fixture === undefined ? undefined : loadFixture(options.fixture));
  const json =
    raw !== undefined ? Buffer.from(raw) : Buffer.from(JSON.stringify(options.payload ?? {}));
  // A form-encoded delivery signs the encoded form, not the JSON inside it.
  const body =
    contentType === "application/x-www-form-urlencoded"
      ? Buffer.from(new URLSearchParams({ payload: json.toString("utf8") }).toString())
      : json;
  const id = options.id ?? randomUUID();
  const headers: Record<string, string> = {
    "content-type": contentType,
    "x-github-event": options.event.split(".")[0] ?? options.event,
    "x-github-delivery": id,
    "x-hub-signature-256": signBody(options.secret, body),
    "user-agent": "GitHub-Hookshot/test",
  };
  return { headers, body, id };
}
