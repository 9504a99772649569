import { generateKeyPairSync, type KeyObject } from "node:crypto";

/** An RSA key pair generated at runtime: no key file is ever committed. */
export interface TestKeys {
  /** PKCS#1, "-----BEGIN RSA PRIVATE KEY-----", the form GitHub's "Generate a private key" downloads. */
  privateKeyPem: string;
  privateKeyPkcs8Pem: string;
  /** SPKI, "-----BEGIN PUBLIC KEY-----". */
  publicKeyPem: string;
  publicKey: KeyObject;
}

// RSA generation takes tens of milliseconds; one pair per test process is enough.
let appKeys: TestKeys | undefined;
let otherKeyPem: string | undefined;
let ecKeyPem: string | undefined;

function generateRsa(): TestKeys {
  const { privateKey, publicKey } = generateKeyPairSync("rsa", { modulusLength: 2048 });
  return {
    privateKeyPem: privateKey.export({ type: "pkcs1", format: "pem" }).toString(),
    privateKeyPkcs8Pem: privateKey.export({ type: "pkcs8", format: "pem" }).toString(),
    publicKeyPem: publicKey.export({ type: "spki", format: "pem" }).toString(),
    publicKey,
  };
}

/** The app's key pair: sign JWTs with `privateKeyPem`, give `publicKey` to the fake GitHub. */
export function testKeys(): TestKeys {
  appKeys ??= generateRsa();
  return appKeys;
}

/** A second RSA private key (PKCS#1 PEM), for "signed by the wrong key" tests. */
export function otherRsaKeyPem(): string {
  otherKeyPem ??= generateRsa().privateKeyPem;
  return otherKeyPem;
}

/** An EC P-256 private key ("-----BEGIN EC PRIVATE KEY-----"): a valid PEM that is not RSA. */
export function ecPrivateKeyPem(): string {
  if (ecKeyPem === undefined) {
    const { privateKey } = generateKeyPairSync("ec", { namedCurve: "P-256" });
    ecKeyPem = privateKey.export({ type: "sec1", format: "pem" }).toString();
  }
  return ecKeyPem;
}

function sshString(value: Buffer | string): Buffer {
  const bytes = typeof value === "string" ? Buffer.from(value) : value;
  const length = Buffer.alloc(4);
  length.writeUInt32BE(bytes.length);
  return Buffer.concat([length, bytes]);
}

function uint32(value: number): Buffer {
  const bytes = Buffer.alloc(4);
  bytes.writeUInt32BE(value);
  return bytes;
}

function buildOpenSshKey(): string {
  // The layout of an unencrypted ed25519 key from `ssh-keygen -t ed25519`, filled with a fixed
  // pattern: it looks like what people paste by mistake, but holds no real key material.
  const publicBlob = Buffer.concat([sshString("ssh-ed25519"), sshString(Buffer.alloc(32, 0x2a))]);
  const privateSection = Buffer.concat([
    uint32(0x68776b74),
    uint32(0x68776b74),
    sshString("ssh-ed25519"),
    sshString(Buffer.alloc(32, 0x2a)),
    sshString(Buffer.alloc(64, 0x2a)),
    sshString("hookwright-test"),
    Buffer.from([1, 2, 3, 4, 5]),
  ]);
  const body = Buffer.concat([
    Buffer.from("openssh-key-v1\0"),
    sshString("none"),
    sshString("none"),
    sshString(""),
    uint32(1),
    sshString(publicBlob),
    sshString(privateSection),
  ]).toString("base64");
  const lines = body.match(/.{1,70}/g) ?? [];
  return [
    "-----BEGIN OPENSSH PRIVATE KEY-----",
    ...lines,
    "-----END OPENSSH PRIVATE KEY-----",
    "",
  ].join("\n");
}

/** A private key in OpenSSH format, which `crypto.createPrivateKey` rejects. */
export const OPENSSH_PRIVATE_KEY: string = buildOpenSshKey();
