/**
 * Every failure Hookwright reports carries one of these codes. README lists them all
 * (test/unit/errors.test.ts keeps the two in step); branch on `error.code`, never on text.
 */
export const ERROR_CODES = {
  CONFIG_INVALID: "a configuration variable is missing or malformed",
  PRIVATE_KEY_INVALID: "the private key is not an RSA private key in PEM form",
  NOT_FOUND: "no route for this method and path",
  METHOD_NOT_ALLOWED: "the webhook path only accepts POST",
  PAYLOAD_TOO_LARGE: "the request body is over GitHub's 25 MiB cap",
  UNSUPPORTED_MEDIA_TYPE:
    "the body is neither application/json nor application/x-www-form-urlencoded",
  MISSING_HEADER: "X-GitHub-Event, X-GitHub-Delivery or X-Hub-Signature-256 is missing",
  SIGNATURE_MISMATCH: "the signature does not match the body under any configured secret",
  INVALID_PAYLOAD: "the signed body is not a JSON object",
  HANDLER_FAILED: "a plugin's handler failed; details are in the log",
  SERVICE_UNAVAILABLE: "the server cannot accept the delivery safely right now",
  DELIVERY_IN_PROGRESS:
    "another process holds this delivery's lease; GitHub is told it failed so it can be redelivered once that run ends or its lease lapses",
  QUEUE_FULL: "the delivery queue holds QUEUE_MAX_WAITING deliveries already",
  SERVER_BUSY:
    "the request bodies being read already fill REQUEST_BODY_BUDGET_MIB; retry after the retry-after seconds",
  INVALID_HEADER:
    "X-GitHub-Event is not an event name GitHub sends, or X-GitHub-Delivery is not a GUID",
  HOST_NOT_ALLOWED:
    "the console and /setup answer only a loopback Host or PUBLIC_URL's host (DNS rebinding)",
  ORIGIN_NOT_ALLOWED: "a console request that changes state came from another site's page",
  INTERNAL: "an unexpected failure; details are in the log",
  APP_JWT_REJECTED: "GitHub rejected the app's JWT (wrong APP_ID or key, or clock skew)",
  INSTALLATION_NOT_FOUND: "the app is not installed there",
  TOKEN_EXCHANGE_FAILED: "GitHub did not issue an installation token",
  GITHUB_UNAVAILABLE: "GitHub answered with a server error or could not be reached",
  GITHUB_TIMEOUT:
    "GitHub did not answer (headers and whole body) within GITHUB_REQUEST_TIMEOUT_MS, nor within the request's retry budget",
  GITHUB_RATE_LIMITED:
    "GitHub's rate limit asks for a longer wait than what is left of the request's retry budget",
  NO_INSTALLATION: "the call needs an installation token but the event has no installation",
  APP_CREDENTIALS_REQUIRED:
    "the call needs the app's own credentials (APP_ID and PRIVATE_KEY), but only GITHUB_TOKEN is set",
  PLUGIN_LOAD_FAILED: "a plugin could not be found or loaded",
  CONFIG_FILE_INVALID:
    "a repository's .github/ configuration file is not valid YAML, not a mapping, or its _extends cannot be followed",
  USAGE: "a command was called with wrong arguments",
  PROBOT_API_UNSUPPORTED:
    "a Probot member Hookwright does not provide was used; the message names what to use instead",
  UNAUTHORIZED: "the delivery console needs CONSOLE_TOKEN, or /metrics its METRICS_TOKEN",
  INVALID_REQUEST: "a console request lacks a field or has a malformed one",
  SETUP_STATE_INVALID: "the /setup link is unknown, already used or expired",
  APP_REGISTRATION_FAILED: "GitHub did not turn the app manifest into an app",
} as const;

export type ErrorCode = keyof typeof ERROR_CODES;

export interface HookwrightErrorOptions {
  cause?: unknown;
  /** The configuration variable at fault, for CONFIG_INVALID and PRIVATE_KEY_INVALID. */
  variable?: string;
  /** The HTTP status GitHub answered with, for errors that come from a GitHub response. */
  status?: number;
}

/** The one error class: a code from ERROR_CODES, a message safe to show a user, a cause for the log. */
export class HookwrightError extends Error {
  readonly code: ErrorCode;
  readonly variable: string | undefined;
  readonly status: number | undefined;

  constructor(
    code: ErrorCode,
    message: string = ERROR_CODES[code],
    options: HookwrightErrorOptions = {},
  ) {
    super(message, options.cause === undefined ? undefined : { cause: options.cause });
    this.name = "HookwrightError";
    this.code = code;
    this.variable = options.variable;
    this.status = options.status;
  }
}

export function isHookwrightError(error: unknown): error is HookwrightError {
  return error instanceof HookwrightError;
}

const HTTP_STATUS: Partial<Record<ErrorCode, number>> = {
  NOT_FOUND: 404,
  METHOD_NOT_ALLOWED: 405,
  PAYLOAD_TOO_LARGE: 413,
  UNSUPPORTED_MEDIA_TYPE: 415,
  MISSING_HEADER: 400,
  SIGNATURE_MISMATCH: 401,
  INVALID_PAYLOAD: 400,
  HANDLER_FAILED: 500,
  SERVICE_UNAVAILABLE: 503,
  DELIVERY_IN_PROGRESS: 503,
  QUEUE_FULL: 503,
  SERVER_BUSY: 503,
  INVALID_HEADER: 400,
  HOST_NOT_ALLOWED: 421,
  ORIGIN_NOT_ALLOWED: 403,
  UNAUTHORIZED: 401,
  INVALID_REQUEST: 400,
  SETUP_STATE_INVALID: 400,
  APP_REGISTRATION_FAILED: 502,
};

/** The one place an error becomes an HTTP status; anything unknown is a 500. */
export function toHttpStatus(error: unknown): number {
  return isHookwrightError(error) ? (HTTP_STATUS[error.code] ?? 500) : 500;
}

/** The response body for an error: its code and its safe message, never a cause or a stack. */
export function toErrorBody(error: unknown): { error: { code: ErrorCode; message: string } } {
  if (isHookwrightError(error) && HTTP_STATUS[error.code] !== undefined) {
    return { error: { code: error.code, message: error.message } };
  }
  return { error: { code: "INTERNAL", message: ERROR_CODES.INTERNAL } };
}
