import { createRequire } from "node:module";
import { pino, type DestinationStream, type Logger, type LoggerOptions } from "pino";
import type PinoPretty from "pino-pretty";
import type { LogFormat } from "../config/config.js";

export type { Logger } from "pino";

export interface LoggerSettings {
  level?: string;
  format?: LogFormat;
  /** Exact values never to print (the webhook secrets); replaced wherever they appear. */
  secrets?: readonly string[];
  /** Where lines go; stdout by default. */
  destination?: DestinationStream;
}

// Fields that hold credentials are removed by path before a line is built ...
const REDACT_PATHS = [
  "token",
  "*.token",
  "authorization",
  "*.authorization",
  "headers.authorization",
  "*.headers.authorization",
  "request.headers.authorization",
  "err.request.headers.authorization",
  "privateKey",
  "*.privateKey",
  "secret",
  "*.secret",
  'headers["x-hub-signature-256"]',
];

// ... and anything shaped like a GitHub token, a JWT or a PEM key is masked in the finished
// line, wherever it sits (an error message, a URL, a plugin's own log call). Installation
// tokens include GitHub's stateless ones (2026-04): `ghs_` and a JWT, dots and dashes inside.
const CREDENTIAL_SHAPES = [
  "gh[opsur]_[A-Za-z0-9_.-]{16,}",
  "github_pat_[A-Za-z0-9_]{20,}",
  "eyJ[A-Za-z0-9_-]+\\.eyJ[A-Za-z0-9_-]+\\.[A-Za-z0-9_-]+",
  "-----BEGIN[A-Z ]*PRIVATE KEY-----[\\s\\S]*?-----END[A-Z ]*PRIVATE KEY-----",
];

const escape = (text: string) => text.replace(/[.*+?^${}()|[\]\\]/g, "\\$&");

/** A function that masks credentials in a finished log line. */
export function createScrubber(secrets: readonly string[] = []): (line: string) => string {
  const literal = secrets
    .filter((secret) => secret.length >= 4)
    .map((secret) => escape(JSON.stringify(secret).slice(1, -1)));
  const pattern = new RegExp([...CREDENTIAL_SHAPES, ...literal].join("|"), "g");
  return (line) => line.replace(pattern, "[REDACTED]");
}

export function loggerOptions(settings: Pick<LoggerSettings, "level" | "secrets">): LoggerOptions {
  const scrub = createScrubber(settings.secrets);
  return {
    level: settings.level ?? "info",
    redact: { paths: REDACT_PATHS, censor: "[REDACTED]" },
    hooks: { streamWrite: scrub },
  };
}

/** pino-pretty, loaded only for LOG_FORMAT=pretty: it is a development aid, slow to import. */
function prettyStream(): DestinationStream {
  // pino-pretty is CommonJS, so require keeps createLogger synchronous.
  const pretty = createRequire(import.meta.url)("pino-pretty") as typeof PinoPretty;
  return pretty({ colorize: process.stdout.isTTY === true });
}

export function createLogger(settings: LoggerSettings = {}): Logger {
  const destination =
    settings.destination ?? (settings.format === "pretty" ? prettyStream() : pino.destination(1));
  return pino({ name: "hookwright", ...loggerOptions(settings) }, destination);
}
