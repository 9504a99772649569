import type { KeyObject } from "node:crypto";
import { createRequire } from "node:module";
import type JsonWebToken from "jsonwebtoken";
import type { Clock } from "../clock.js";

export interface AppJwt {
  /** A JWT for the app, reused until about a minute before it expires. */
  get(): string;
  /**
   * Compares GitHub's `Date` header with our clock. When they disagree by more than the
   * tolerance, later JWTs are dated by GitHub's clock and the cached one is dropped;
   * returns true when that happened (a rejected call is then worth one retry).
   */
  observeServerDate(date: string | null | undefined): boolean;
  /** GitHub's time as best we know it: our clock corrected by the skew last observed. */
  serverNow(): number;
}

export interface AppJwtOptions {
  appId: string;
  /** The key, or a function reading it: called on the first signature, and its error thrown there. */
  privateKey: KeyObject | (() => KeyObject);
  clock: Clock;
  /** Told once per process when the key is shorter than GitHub issues (2048 bits). */
  warn?: (message: string) => void;
}

// GitHub rejects an `iat` in its future and an `exp` more than ten minutes after `iat`.
// Backdating `iat` by 60 s absorbs ordinary drift between our clock and GitHub's; larger
// skew (a VM resumed from sleep, a container without NTP) is corrected from `Date`.
// https://docs.github.com/en/apps/creating-github-apps/authenticating-with-a-github-app/generating-a-json-web-token-jwt-for-a-github-app
const BACKDATE_S = 60;
const LIFETIME_S = 600;
const REUSE_MARGIN_MS = 60_000;
const SKEW_TOLERANCE_MS = 10_000;

// jsonwebtoken (with semver and jws) is 30-80 ms of import: it is required on the first
// signature, after the server listens, not at start. It is CommonJS, so a synchronous
// require serves the synchronous sign().
const load = createRequire(import.meta.url);
let jwtLibrary: typeof JsonWebToken | undefined;

// GitHub issues 2048-bit keys; jsonwebtoken 9 refuses shorter ones for RS256. Published
// Probot apps ship 1024-bit keys in their test fixtures, so a short key signs, with one
// warning per process (the key is the app's, not the instance's).
// https://github.com/auth0/node-jsonwebtoken/blob/master/CHANGELOG.md#900---2022-12-21
const GITHUB_KEY_BITS = 2048;
let warnedShortKey = false;

function signingOptions(key: KeyObject, warn: (message: string) => void): JsonWebToken.SignOptions {
  const bits = key.asymmetricKeyDetails?.modulusLength ?? GITHUB_KEY_BITS;
  if (bits >= GITHUB_KEY_BITS) return { algorithm: "RS256" };
  if (!warnedShortKey) {
    warnedShortKey = true;
    warn(
      `the app's private key is ${bits}-bit RSA, too short for production: GitHub issues ${GITHUB_KEY_BITS}-bit keys`,
    );
  }
  return { algorithm: "RS256", allowInsecureKeySizes: true };
}

const emitWarning = (message: string) => process.emitWarning(message, "HookwrightWarning");

export function createAppJwt({ appId, privateKey, clock, warn }: AppJwtOptions): AppJwt {
  const issuer = /^\d+$/.test(appId) ? Number(appId) : appId;
  let skewMs = 0;
  let cached: { token: string; renewAt: number } | undefined;
  let signer: { key: KeyObject; options: JsonWebToken.SignOptions } | undefined;

  function sign(): string {
    const iat = Math.floor((clock.now() + skewMs) / 1000) - BACKDATE_S;
    const exp = iat + LIFETIME_S;
    jwtLibrary ??= load("jsonwebtoken") as typeof JsonWebToken;
    if (signer === undefined) {
      const key = typeof privateKey === "function" ? privateKey() : privateKey;
      signer = { key, options: signingOptions(key, warn ?? emitWarning) };
    }
    const token = jwtLibrary.sign({ iat, exp, iss: issuer }, signer.key, signer.options);
    cached = { token, renewAt: exp * 1000 - skewMs - REUSE_MARGIN_MS };
    return token;
  }

  return {
    get() {
      return cached !== undefined && clock.now() < cached.renewAt ? cached.token : sign();
    },
    observeServerDate(date) {
      const serverMs = date ? Date.parse(date) : Number.NaN;
      if (Number.isNaN(serverMs)) return false;
      const offset = serverMs - clock.now();
      if (Math.abs(offset - skewMs) <= SKEW_TOLERANCE_MS) return false;
      skewMs = offset;
      cached = undefined;
      return true;
    },
    serverNow: () => clock.now() + skewMs,
  };
}
