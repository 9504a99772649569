export interface PageSecurityOptions {
  /** The per-response nonce of the page's one inline script; no script runs without it. */
  scriptNonce?: string;
  /** Origins forms on the page may post to, besides none. */
  formAction?: string[];
}

/**
 * The headers every HTML page of ours sends: a CSP allowing only its own script and styles,
 * no framing, no MIME sniffing, no referrer, no caching.
 * https://developer.mozilla.org/en-US/docs/Web/HTTP/CSP
 */
export function pageSecurityHeaders(options: PageSecurityOptions = {}): Record<string, string> {
  const formAction = options.formAction?.length ? options.formAction.join(" ") : "'none'";
  return {
    "content-security-policy": [
      "default-src 'none'",
      options.scriptNonce ? `script-src 'nonce-${options.scriptNonce}'` : "script-src 'none'",
      "style-src 'unsafe-inline'",
      "connect-src 'self'",
      "img-src 'self' data:",
      `form-action ${formAction}`,
      "frame-ancestors 'none'",
      "base-uri 'none'",
    ].join("; "),
    "x-content-type-options": "nosniff",
    "referrer-policy": "no-referrer",
    "cache-control": "no-store",
  };
}
