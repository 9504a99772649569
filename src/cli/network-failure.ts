// What fetch's `cause` says when no answer came: a lookup, a refused or dropped connection.
const NETWORK_CODES: Record<string, string> = {
  ENOTFOUND: "DNS lookup failed",
  EAI_AGAIN: "DNS lookup failed",
  ECONNREFUSED: "connection refused",
  ECONNRESET: "connection reset",
  EHOSTUNREACH: "host unreachable",
  ENETUNREACH: "network unreachable",
  ETIMEDOUT: "connection timed out",
  UND_ERR_CONNECT_TIMEOUT: "connection timed out",
  UND_ERR_SOCKET: "connection closed",
};

/** `DNS lookup failed (ENOTFOUND)` when the error's cause chain holds a network failure. */
export function networkFailureOf(error: unknown): string | undefined {
  const seen = new Set<unknown>();
  for (let at = error; at && typeof at === "object" && !seen.has(at);) {
    seen.add(at);
    const code = (at as { code?: unknown }).code;
    if (typeof code === "string" && NETWORK_CODES[code]) return `${NETWORK_CODES[code]} (${code})`;
    const errors = (at as { errors?: unknown }).errors;
    if (Array.isArray(errors)) {
      for (const each of errors) {
        const found = networkFailureOf(each);
        if (found) return found;
      }
    }
    at = (at as { cause?: unknown }).cause;
  }
  return undefined;
}

export interface NetworkWatch {
  fetch: typeof fetch;
  /** The first failure seen, e.g. `api.github.com: DNS lookup failed (ENOTFOUND)`. */
  failure(): string | undefined;
}

/**
 * A fetch that reports each attempt that got no answer as it happens, so a command that
 * retries is never silent while it waits; the calls' retries stay the client's.
 */
export function watchNetwork(base: typeof fetch, report: (line: string) => void): NetworkWatch {
  let first: string | undefined;
  let attempts = 0;
  const watched: typeof fetch = async (input, init) => {
    try {
      return await base(input, init);
    } catch (error) {
      const why = networkFailureOf(error);
      if (why !== undefined) {
        const url = new URL(input instanceof Request ? input.url : String(input));
        const method = (init?.method ?? "GET").toUpperCase();
        attempts += 1;
        first ??= `${url.host}: ${why}`;
        report(
          `${method} ${url.origin}${url.pathname}: ${why} (attempt ${attempts}; retried while the request's budget lasts)`,
        );
      }
      throw error;
    }
  };
  return { fetch: watched, failure: () => first };
}

/** An `err` for the log without its stack: a network failure is the network's, not a bug. */
export function serializeQuietly(error: unknown): unknown {
  const why = networkFailureOf(error);
  if (why === undefined || !(error instanceof Error)) return error;
  const line = error.message.split("\n")[0]!;
  return { type: error.name, message: `${line}: ${why}` };
}
