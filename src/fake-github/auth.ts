import type { KeyObject } from "node:crypto";
import jwt from "jsonwebtoken";
import type { FakeState } from "./state.js";
import { findActiveToken } from "./tokens.js";
import type { CallAuth, IssuedToken } from "./types.js";

export type Credentials =
  | { kind: "none" }
  | { kind: "jwt" }
  | { kind: "token"; record: IssuedToken }
  | { kind: "invalid"; message: string; token?: string; installationId?: number };

export const BAD_CREDENTIALS = "Bad credentials";
export const JWT_NOT_DECODED = "A JSON web token could not be decoded";
export const EXP_INVALID =
  "'Expiration time' claim ('exp') must be a numeric value representing the future time at which the assertion expires";
export const EXP_TOO_FAR = "'Expiration time' claim ('exp') is too far in the future";
export const IAT_INVALID =
  "'Issued at' claim ('iat') must be an Integer representing a time in the past";
export const ISS_NOT_FOUND = "Integration not found";

// GitHub refuses app JWTs that live longer than ten minutes.
// https://docs.github.com/en/apps/creating-github-apps/authenticating-with-a-github-app/generating-a-json-web-token-jwt-for-a-github-app
const MAX_JWT_LIFETIME_S = 600;

// https://github.blog/engineering/platform-security/behind-githubs-new-authentication-token-formats/
const TOKEN_PREFIX = /^gh[opsur]_/;

/** What the Authorization header proves; checked against the route's needs later. */
export function readCredentials(
  header: string | null,
  state: FakeState,
  publicKey: KeyObject,
): Credentials {
  if (header === null || header.trim() === "") return { kind: "none" };
  const match = /^(bearer|token)\s+(\S+)\s*$/i.exec(header.trim());
  const value = match?.[2];
  if (value === undefined) return { kind: "invalid", message: BAD_CREDENTIALS };
  // A stateless installation token is `ghs_` and a JWT: three dot-separated parts too.
  if (!TOKEN_PREFIX.test(value) && value.split(".").length === 3) {
    const message = verifyAppJwt(value, state, publicKey);
    return message === undefined ? { kind: "jwt" } : { kind: "invalid", message };
  }
  const record = findActiveToken(state, value);
  if (record === undefined) {
    const issued = state.tokens.find((candidate) => candidate.token === value);
    return {
      kind: "invalid",
      message: BAD_CREDENTIALS,
      token: value,
      ...(issued && { installationId: issued.installationId }),
    };
  }
  return { kind: "token", record };
}

export function toCallAuth(credentials: Credentials): CallAuth {
  switch (credentials.kind) {
    case "token":
      return {
        kind: "token",
        installationId: credentials.record.installationId,
        token: credentials.record.token,
      };
    case "invalid": {
      const { token, installationId } = credentials;
      return {
        kind: "invalid",
        ...(token !== undefined && { token }),
        ...(installationId !== undefined && { installationId }),
      };
    }
    default:
      return { kind: credentials.kind };
  }
}

/** Undefined when the JWT is one GitHub would accept for this app, else GitHub's message. */
export function verifyAppJwt(
  token: string,
  state: FakeState,
  publicKey: KeyObject,
): string | undefined {
  const decoded = jwt.decode(token, { json: true });
  if (decoded === null) return JWT_NOT_DECODED;
  // GitHub finds the app (and its key) from `iss` before it checks the signature.
  const iss = decoded.iss as unknown;
  const issuer = typeof iss === "number" || typeof iss === "string" ? String(iss) : "";
  if (!/^\d+$/.test(issuer) || Number(issuer) !== state.appId) return ISS_NOT_FOUND;

  const nowS = Math.floor(state.clock.now() / 1000);
  let claims: jwt.JwtPayload;
  try {
    const verified = jwt.verify(token, publicKey, {
      algorithms: ["RS256"],
      clockTimestamp: nowS,
    });
    if (typeof verified === "string") return JWT_NOT_DECODED;
    claims = verified;
  } catch (error) {
    return error instanceof jwt.TokenExpiredError ? EXP_INVALID : JWT_NOT_DECODED;
  }
  const { iat, exp } = claims;
  if (!Number.isInteger(exp) || exp === undefined || exp <= nowS) return EXP_INVALID;
  if (!Number.isInteger(iat) || iat === undefined || iat > nowS) return IAT_INVALID;
  if (exp - iat > MAX_JWT_LIFETIME_S) return EXP_TOO_FAR;
  return undefined;
}
