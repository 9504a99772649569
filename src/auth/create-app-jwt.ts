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
  privateKey: KeyObject;
  clock: Clock;
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

export function createAppJwt({ appId, privateKey, clock }: AppJwtOptions): AppJwt {
  const issuer = /^\d+$/.test(appId) ? Number(appId) : appId;
  let skewMs = 0;
  let cached: { token: string; renewAt: number } | undefined;

  function sign(): string {
    const iat = Math.floor((clock.now() + skewMs) / 1000) - BACKDATE_S;
    const exp = iat + LIFETIME_S;
    jwtLibrary ??= load("jsonwebtoken") as typeof JsonWebToken;
    const token = jwtLibrary.sign({ iat, exp, iss: issuer }, privateKey, { algorithm: "RS256" });
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
