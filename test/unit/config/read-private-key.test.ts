import { createHash, createPublicKey } from "node:crypto";
import { describe, expect, it } from "@jest/globals";
import { readPrivateKey, toPem } from "../../../src/config/read-private-key.js";
import { HookwrightError } from "../../../src/errors.js";
import { ecPrivateKeyPem, OPENSSH_PRIVATE_KEY, testKeys } from "../../helpers/keys.js";

const keys = testKeys();

function expectedFingerprint(): string {
  const der = keys.publicKey.export({ type: "spki", format: "der" });
  return `SHA256:${createHash("sha256").update(der).digest("base64")}`;
}

/** The error readPrivateKey throws for `text`, checked to carry no line of the key. */
function rejection(text: string, variable = "PRIVATE_KEY"): HookwrightError {
  let caught: unknown;
  try {
    readPrivateKey(text, variable);
  } catch (error) {
    caught = error;
  }
  expect(caught).toBeInstanceOf(HookwrightError);
  const error = caught as HookwrightError;
  expect(error.code).toBe("PRIVATE_KEY_INVALID");
  expect(error.variable).toBe(variable);
  expect(error.message.startsWith(`${variable}: `)).toBe(true);
  const keyLines = text.split("\n").filter((line) => line.length > 8 && !line.startsWith("-----"));
  for (const line of keyLines) expect(error.message).not.toContain(line);
  if (text.trim() !== "") expect(error.message).not.toContain(text.trim());
  return error;
}

describe("readPrivateKey", () => {
  it.each([
    ["PKCS#1 PEM", keys.privateKeyPem],
    ["PKCS#8 PEM", keys.privateKeyPkcs8Pem],
    ["PEM with escaped \\n on one line", keys.privateKeyPem.trim().replace(/\n/g, "\\n")],
    ["the whole PEM base64-encoded", Buffer.from(keys.privateKeyPem).toString("base64")],
    ["PEM surrounded by whitespace", `\n  ${keys.privateKeyPem}  \n`],
  ])("accepts %s as the app's RSA key", (_label, text) => {
    const { key } = readPrivateKey(text);
    expect(key.type).toBe("private");
    expect(key.asymmetricKeyType).toBe("rsa");
    expect(createPublicKey(key).equals(keys.publicKey)).toBe(true);
  });

  it("fingerprints the key as SHA256: + base64 of the SHA-256 of its public key DER", () => {
    const expected = expectedFingerprint();
    expect(readPrivateKey(keys.privateKeyPem).fingerprint).toBe(expected);
    expect(readPrivateKey(keys.privateKeyPkcs8Pem).fingerprint).toBe(expected);
    expect(expected).toMatch(/^SHA256:[A-Za-z0-9+/]{43}=$/);
  });

  it("rejects an OpenSSH key and says to use the PEM from the app's settings", () => {
    const error = rejection(OPENSSH_PRIVATE_KEY);
    expect(error.message).toMatch(/OpenSSH/);
    expect(error.message).toMatch(/PEM/);
  });

  it("rejects a public key and says the private key is needed", () => {
    expect(rejection(keys.publicKeyPem).message).toMatch(/public key/);
  });

  it("rejects an EC key and says GitHub Apps sign with RSA", () => {
    const error = rejection(ecPrivateKeyPem());
    expect(error.message).toMatch(/\bEC\b/);
    expect(error.message).toMatch(/not an RSA key/);
  });

  it.each([
    ["text that is no PEM", "definitely-not-a-key-0123456789abcdef"],
    ["an empty value", ""],
  ])("rejects %s as not a PEM key", (_label, text) => {
    expect(rejection(text).message).toMatch(/not a PEM key/);
  });

  it("rejects a PEM whose body is garbage as unparseable, keeping its cause", () => {
    const text =
      "-----BEGIN RSA PRIVATE KEY-----\nZ2FyYmFnZS1ib2R5LW5vdC1hLWtleQ==\n-----END RSA PRIVATE KEY-----";
    const error = rejection(text);
    expect(error.message).toMatch(/could not be parsed/);
    expect(error.cause).toBeDefined();
  });

  it("names the variable it was given (PRIVATE_KEY_PATH for a key read from a file)", () => {
    expect(rejection(keys.publicKeyPem, "PRIVATE_KEY_PATH").message).toMatch(/^PRIVATE_KEY_PATH: /);
  });
});

describe("toPem", () => {
  it("unescapes \\n, decodes base64 and leaves other text as is", () => {
    const pem = keys.privateKeyPem.trim();
    expect(toPem(pem.replace(/\n/g, "\\n"))).toBe(pem);
    expect(toPem(Buffer.from(pem).toString("base64"))).toBe(pem);
    expect(toPem("  plain  ")).toBe("plain");
  });
});
