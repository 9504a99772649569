import { HookwrightError } from "../errors.js";
import type { TokenFormat } from "../fake-github/types.js";
import type { Env } from "./read-config.js";

export const FAKE_TOKEN_FORMAT = "HOOKWRIGHT_FAKE_TOKEN_FORMAT";

/**
 * The installation token format the simulated GitHub issues by default: `stateless` makes a
 * whole test run (or the sandbox) use GitHub's long JWT-shaped tokens, so every path that
 * holds a token is exercised with them.
 */
export function fakeTokenFormat(env: Env = process.env): TokenFormat {
  const raw = env[FAKE_TOKEN_FORMAT]?.trim();
  if (raw === undefined || raw === "" || raw === "classic") return "classic";
  if (raw === "stateless") return "stateless";
  throw new HookwrightError("CONFIG_INVALID", `${FAKE_TOKEN_FORMAT} must be classic or stateless`, {
    variable: FAKE_TOKEN_FORMAT,
  });
}
