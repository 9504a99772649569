import { HookwrightError } from "../errors.js";

/**
 * A port that cannot be listened on is configuration the operator can fix: one line naming
 * PORT (or HOST), exit 2, instead of Node's `listen EADDRINUSE` as an unexpected failure.
 */
export function describeListenFailure(
  error: unknown,
  port: number,
  host?: string,
  variable = "PORT",
): unknown {
  const code = (error as { code?: unknown } | null)?.code;
  const on = host === undefined ? "" : ` on ${host}`;
  if (code === "EADDRINUSE") {
    const fix = `stop what is using it, or set ${variable} to a free port`;
    return new HookwrightError(
      "CONFIG_INVALID",
      `${variable} ${port} is already in use${on}: ${fix}`,
      { variable, cause: error },
    );
  }
  if (code === "EACCES") {
    return new HookwrightError(
      "CONFIG_INVALID",
      `${variable} ${port} needs privileges this process lacks: set ${variable} to 1024 or above`,
      { variable, cause: error },
    );
  }
  if (code === "EADDRNOTAVAIL" || code === "ENOTFOUND") {
    return new HookwrightError(
      "CONFIG_INVALID",
      `HOST ${host ?? ""} is not an address of this machine`,
      { variable: "HOST", cause: error },
    );
  }
  return error;
}
