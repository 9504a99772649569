import { createPrivateKey } from "node:crypto";
import { describe, expect, it } from "@jest/globals";
import { createTokenCipher } from "../../../src/auth/token-cipher.js";
import { otherRsaKeyPem, testKeys } from "../../helpers/keys.js";

const appKey = () => createPrivateKey(testKeys().privateKeyPem);

describe("createTokenCipher", () => {
  it("opens what it sealed, for the same context", () => {
    const cipher = createTokenCipher(appKey());
    const sealed = cipher.seal('{"token":"ghs_abc"}', "key 1");
    expect(cipher.open(sealed, "key 1")).toBe('{"token":"ghs_abc"}');
  });

  it("derives the same key from the same private key in every process, PKCS#1 or PKCS#8", () => {
    const sealed = createTokenCipher(appKey()).seal("ghs_shared", "k");
    const again = createTokenCipher(createPrivateKey(testKeys().privateKeyPkcs8Pem));
    expect(again.keyId).toBe(createTokenCipher(appKey()).keyId);
    expect(again.open(sealed, "k")).toBe("ghs_shared");
  });

  it("seals with a new IV each time, and names its version and key id", () => {
    const cipher = createTokenCipher(appKey());
    const one = cipher.seal("ghs_same", "k");
    const two = cipher.seal("ghs_same", "k");
    expect(one).not.toBe(two);
    expect(one.startsWith(`v1.${cipher.keyId}.`)).toBe(true);
    expect(one).not.toContain("ghs_same");
    // 12-byte IV + 8 bytes of ciphertext + 16-byte tag.
    expect(Buffer.from(one.split(".")[2]!, "base64url")).toHaveLength(12 + 8 + 16);
  });

  it("gives undefined for another key's value, another context, tampering or garbage", () => {
    const cipher = createTokenCipher(appKey());
    const other = createTokenCipher(createPrivateKey(otherRsaKeyPem()));
    expect(other.keyId).not.toBe(cipher.keyId);
    const sealed = cipher.seal("ghs_secret", "k");
    expect(other.open(sealed, "k")).toBeUndefined();
    // Same key id, wrong key: still a miss (the tag does not verify).
    const forged = `v1.${other.keyId}.${sealed.split(".")[2]}`;
    expect(other.open(forged, "k")).toBeUndefined();
    expect(cipher.open(sealed, "another key")).toBeUndefined();
    const body = Buffer.from(sealed.split(".")[2]!, "base64url");
    body[14] = body[14]! ^ 1;
    expect(cipher.open(`v1.${cipher.keyId}.${body.toString("base64url")}`, "k")).toBeUndefined();
    for (const garbage of ["", "v1.", `v1.${cipher.keyId}.`, `v1.${cipher.keyId}.AAAA`, "{}"]) {
      expect(cipher.open(garbage, "k")).toBeUndefined();
    }
  });
});
