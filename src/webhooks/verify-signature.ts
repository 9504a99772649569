import { createHmac, timingSafeEqual } from "node:crypto";

const SIGNATURE = /^sha256=([0-9a-f]{64})$/i;

/**
 * True when `header` (X-Hub-Signature-256) is the HMAC-SHA256 of the raw body bytes under
 * one of the secrets. The bytes are used as received: re-serialising a parsed body changes
 * them and must fail. Several secrets let a new one be rolled out before the old is dropped.
 * https://docs.github.com/en/webhooks/using-webhooks/validating-webhook-deliveries
 */
export function verifySignature(
  secrets: readonly string[],
  body: Uint8Array,
  header: string,
): boolean {
  const match = SIGNATURE.exec(header);
  if (!match?.[1]) return false;
  const given = Buffer.from(match[1], "hex");
  let valid = false;
  for (const secret of secrets) {
    const expected = createHmac("sha256", secret).update(body).digest();
    // Every secret is tried, so the time taken does not tell which one matched.
    valid = timingSafeEqual(expected, given) || valid;
  }
  return valid;
}
