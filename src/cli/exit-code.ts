import { isHookwrightError, type ErrorCode } from "../errors.js";

// Usage and configuration mistakes exit 2; a failure while running exits 1 (CONTRACT §2).
const USER_ERRORS = new Set<ErrorCode>([
  "CONFIG_INVALID",
  "PRIVATE_KEY_INVALID",
  "USAGE",
  "PLUGIN_LOAD_FAILED",
]);

export function exitCodeFor(error: unknown): 1 | 2 {
  return isHookwrightError(error) && USER_ERRORS.has(error.code) ? 2 : 1;
}

/** The one line a failed command prints: the message, never a stack or a secret. */
export function describeFailure(error: unknown): string {
  const message = error instanceof Error ? error.message : String(error);
  const line = message.split("\n")[0];
  return isHookwrightError(error)
    ? `hookwright: ${line}`
    : `hookwright: unexpected failure: ${line}`;
}
