import { HookwrightError } from "../errors.js";

export type Env = Record<string, string | undefined>;

export function bad(variable: string, why: string, cause?: unknown): HookwrightError {
  return new HookwrightError("CONFIG_INVALID", `${variable} ${why}`, { variable, cause });
}

/** The variable's trimmed text; blank counts as unset. */
export function value(env: Env, name: string): string | undefined {
  const raw = env[name]?.trim();
  return raw === undefined || raw === "" ? undefined : raw;
}

export function readInteger(
  env: Env,
  name: string,
  fallback: number,
  min: number,
  max: number,
): number {
  const raw = value(env, name);
  if (raw === undefined) return fallback;
  // Digits only: Number() would also take "0x50" or "1e3" and listen on a port nobody wrote.
  const n = /^\d+$/.test(raw) ? Number(raw) : NaN;
  if (!Number.isInteger(n) || n < min || n > max) {
    throw bad(name, `must be a whole number from ${min} to ${max} (got "${raw}")`);
  }
  return n;
}
