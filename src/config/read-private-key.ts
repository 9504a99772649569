import { createHash, createPrivateKey, createPublicKey, type KeyObject } from "node:crypto";
import { HookwrightError } from "../errors.js";

export interface PrivateKey {
  key: KeyObject;
  /** SHA-256 of the public key (SubjectPublicKeyInfo DER), base64: the form GitHub shows on the app's page. */
  fingerprint: string;
}

const PEM_HEADER = /-----BEGIN ([A-Z ]+)-----/;

/**
 * Turns PRIVATE_KEY text into PEM: accepts PEM as is, PEM whose newlines were escaped as
 * `\n` (how most hosts store one-line secrets), or the whole PEM base64-encoded.
 */
export function toPem(text: string): string {
  const trimmed = text.trim();
  if (trimmed.includes("-----BEGIN")) return trimmed.replace(/\\n/g, "\n");
  const decoded = Buffer.from(trimmed, "base64").toString("utf8");
  return decoded.includes("-----BEGIN") ? decoded.trim() : trimmed;
}

function invalid(variable: string, why: string, cause?: unknown): HookwrightError {
  return new HookwrightError("PRIVATE_KEY_INVALID", `${variable}: ${why}`, { variable, cause });
}

/** Parses the app's private key once; rejects anything that is not an RSA private key. */
export function readPrivateKey(text: string, variable = "PRIVATE_KEY"): PrivateKey {
  const pem = toPem(text);
  const kind = PEM_HEADER.exec(pem)?.[1];
  if (kind === undefined) {
    throw invalid(
      variable,
      "not a PEM key (expected the .pem file from the app's settings page, starting with -----BEGIN)",
    );
  }
  if (kind === "OPENSSH PRIVATE KEY") {
    throw invalid(
      variable,
      "an OpenSSH key; GitHub Apps use the PEM file downloaded from the app's settings page",
    );
  }
  if (kind.includes("PUBLIC KEY")) {
    throw invalid(variable, "a public key; the app needs its private key");
  }
  let key: KeyObject;
  try {
    key = createPrivateKey({ key: pem, format: "pem" });
  } catch (cause) {
    throw invalid(variable, "the PEM could not be parsed as a private key", cause);
  }
  if (key.asymmetricKeyType !== "rsa") {
    const type = key.asymmetricKeyType?.toUpperCase() ?? "unknown";
    throw invalid(variable, `not an RSA key (it is ${type}); GitHub Apps sign with RSA (RS256)`);
  }
  const spki = createPublicKey(key).export({ type: "spki", format: "der" });
  const fingerprint = `SHA256:${createHash("sha256").update(spki).digest("base64")}`;
  return { key, fingerprint };
}
