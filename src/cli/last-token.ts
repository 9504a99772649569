import {
  createCipheriv,
  createDecipheriv,
  createHash,
  randomBytes,
  type KeyObject,
} from "node:crypto";
import { chmodSync, mkdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { dirname, join } from "node:path";

// The last token `hookwright token` printed, so `token --revoke` can end it without being
// handed it again. Kept encrypted under a key derived from the app's private key: the file
// alone gives nothing, and whoever holds the private key can mint tokens anyway.
const FILE = "last-token";

function keyOf(privateKey: KeyObject): Buffer {
  const der = privateKey.export({ type: "pkcs8", format: "der" });
  return createHash("sha256").update("hookwright last-token\0").update(der).digest();
}

export function lastTokenPath(cacheDir: string): string {
  return join(cacheDir, FILE);
}

export function rememberLastToken(path: string, privateKey: KeyObject, token: string): void {
  const iv = randomBytes(12);
  const cipher = createCipheriv("aes-256-gcm", keyOf(privateKey), iv);
  const sealed = Buffer.concat([cipher.update(token, "utf8"), cipher.final()]);
  const text = [iv, cipher.getAuthTag(), sealed].map((part) => part.toString("base64")).join(".");
  mkdirSync(dirname(path), { recursive: true, mode: 0o700 });
  writeFileSync(path, `${text}\n`, { mode: 0o600 });
  chmodSync(path, 0o600);
}

/** The remembered token, or undefined when there is none or another app's key sealed it. */
export function recallLastToken(path: string, privateKey: KeyObject): string | undefined {
  let text: string;
  try {
    text = readFileSync(path, "utf8").trim();
  } catch {
    return undefined;
  }
  const [iv, tag, sealed] = text.split(".").map((part) => Buffer.from(part, "base64"));
  if (!iv || !tag || !sealed) return undefined;
  try {
    const decipher = createDecipheriv("aes-256-gcm", keyOf(privateKey), iv);
    decipher.setAuthTag(tag);
    return Buffer.concat([decipher.update(sealed), decipher.final()]).toString("utf8");
  } catch {
    return undefined;
  }
}

export function forgetLastToken(path: string): void {
  rmSync(path, { force: true });
}
