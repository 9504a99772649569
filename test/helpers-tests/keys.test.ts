import { createPrivateKey, createPublicKey } from "node:crypto";
import { describe, expect, it } from "@jest/globals";
import { ecPrivateKeyPem, OPENSSH_PRIVATE_KEY, otherRsaKeyPem, testKeys } from "../helpers/keys.js";

describe("testKeys", () => {
  it("gives one RSA 2048 pair per process, in PKCS#1, PKCS#8 and SPKI PEM", () => {
    const keys = testKeys();
    expect(testKeys()).toBe(keys);
    expect(keys.privateKeyPem).toMatch(/^-----BEGIN RSA PRIVATE KEY-----\n/);
    expect(keys.privateKeyPkcs8Pem).toMatch(/^-----BEGIN PRIVATE KEY-----\n/);
    expect(keys.publicKeyPem).toMatch(/^-----BEGIN PUBLIC KEY-----\n/);
    const privateKey = createPrivateKey(keys.privateKeyPem);
    expect(privateKey.asymmetricKeyType).toBe("rsa");
    expect(privateKey.asymmetricKeyDetails?.modulusLength).toBe(2048);
    expect(createPublicKey(privateKey).equals(keys.publicKey)).toBe(true);
    expect(createPublicKey(keys.privateKeyPkcs8Pem).equals(keys.publicKey)).toBe(true);
  });

  it("gives a second, different RSA key", () => {
    expect(otherRsaKeyPem()).toBe(otherRsaKeyPem());
    expect(otherRsaKeyPem()).toMatch(/^-----BEGIN RSA PRIVATE KEY-----/);
    expect(createPublicKey(otherRsaKeyPem()).equals(testKeys().publicKey)).toBe(false);
  });

  it("gives an EC P-256 key that parses but is not RSA", () => {
    const key = createPrivateKey(ecPrivateKeyPem());
    expect(ecPrivateKeyPem()).toMatch(/^-----BEGIN EC PRIVATE KEY-----/);
    expect(key.asymmetricKeyType).toBe("ec");
    expect(key.asymmetricKeyDetails?.namedCurve).toBe("prime256v1");
  });

  it("gives an OpenSSH-format key that node:crypto rejects", () => {
    const lines = OPENSSH_PRIVATE_KEY.trim().split("\n");
    expect(lines[0]).toBe("-----BEGIN OPENSSH PRIVATE KEY-----");
    expect(lines.at(-1)).toBe("-----END OPENSSH PRIVATE KEY-----");
    expect(lines[1]).toMatch(/^b3BlbnNzaC1rZXktdjEAAAAA/);
    expect(lines.slice(1, -1).every((line) => /^[A-Za-z0-9+/=]{1,70}$/.test(line))).toBe(true);
    expect(() => createPrivateKey(OPENSSH_PRIVATE_KEY)).toThrow();
  });
});
