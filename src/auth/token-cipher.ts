import {
  createCipheriv,
  createDecipheriv,
  hkdfSync,
  randomBytes,
  type KeyObject,
} from "node:crypto";

/** Seals cached tokens for a store other processes (and whoever reads its dump) can see. */
export interface TokenCipher {
  /** Names the key, so a value sealed under another key is told apart before decrypting. */
  readonly keyId: string;
  /** `context` (the cache key) is authenticated too: a value copied to another key fails. */
  seal(plaintext: string, context: string): string;
  /** The plaintext, or undefined for anything not sealed by this key for this context. */
  open(sealed: string, context: string): string | undefined;
}

const VERSION = "v1";
const IV_BYTES = 12;
const TAG_BYTES = 16;
// HKDF's salt and info only separate this use of the key from any other; they are not secret.
const SALT = Buffer.from("hookwright token cache");
const hkdf = (ikm: Buffer, info: string, bytes: number) =>
  Buffer.from(hkdfSync("sha256", ikm, SALT, info, bytes));

/**
 * AES-256-GCM under a key derived (HKDF-SHA256) from the app's private key: every process of
 * the app holds that key, and a copy of Redis alone does not. Rotating the private key changes
 * the key id, so what was sealed before is a miss, not an error.
 */
export function createTokenCipher(privateKey: KeyObject): TokenCipher {
  const ikm = privateKey.export({ type: "pkcs8", format: "der" });
  const key = hkdf(ikm, `${VERSION} aes-256-gcm`, 32);
  const keyId = hkdf(ikm, `${VERSION} key id`, 8).toString("base64url");
  const head = `${VERSION}.${keyId}.`;
  return {
    keyId,
    seal(plaintext, context) {
      const iv = randomBytes(IV_BYTES);
      const cipher = createCipheriv("aes-256-gcm", key, iv);
      cipher.setAAD(Buffer.from(context));
      const body = Buffer.concat([cipher.update(plaintext, "utf8"), cipher.final()]);
      return head + Buffer.concat([iv, body, cipher.getAuthTag()]).toString("base64url");
    },
    open(sealed, context) {
      if (!sealed.startsWith(head)) return undefined;
      const bytes = Buffer.from(sealed.slice(head.length), "base64url");
      if (bytes.length < IV_BYTES + TAG_BYTES) return undefined;
      try {
        const decipher = createDecipheriv("aes-256-gcm", key, bytes.subarray(0, IV_BYTES));
        decipher.setAAD(Buffer.from(context));
        decipher.setAuthTag(bytes.subarray(bytes.length - TAG_BYTES));
        const body = bytes.subarray(IV_BYTES, bytes.length - TAG_BYTES);
        return Buffer.concat([decipher.update(body), decipher.final()]).toString("utf8");
      } catch {
        return undefined;
      }
    },
  };
}
