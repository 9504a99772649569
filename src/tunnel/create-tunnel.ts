import type { Logger } from "pino";
import { SmeeClient } from "smee-client";
import { toForwardedRequest } from "./to-forwarded-request.js";

export interface TunnelOptions {
  /** The smee channel, `WEBHOOK_PROXY_URL`. */
  source: string;
  /** The local webhook URL, e.g. `http://127.0.0.1:3000/api/github/webhooks`. */
  target: string;
  logger: Logger;
  fetch?: typeof fetch;
}

export interface Tunnel {
  /** Resolves once the channel's event stream is open. */
  start(): Promise<void>;
  stop(): Promise<void>;
}

/**
 * Forwards deliveries from a smee.io channel to the local webhook path. smee-client keeps
 * the event stream open (and reconnects); the forwarding is ours, because smee-client
 * re-serialises the body and passes smee's own fields on as headers, and the signature
 * must still match the bytes.
 *
 * @example
 * const tunnel = createTunnel({ source: "https://smee.io/abc", target: "http://127.0.0.1:3000/api/github/webhooks", logger });
 * await tunnel.start();
 */
export function createTunnel(options: TunnelOptions): Tunnel {
  const send = options.fetch ?? ((...args: Parameters<typeof fetch>) => globalThis.fetch(...args));
  const log = options.logger.child({ tunnel: options.source });
  const client = new SmeeClient({
    source: options.source,
    target: options.target,
    forward: false,
    logger: {
      info: (message: string) => log.debug(message),
      error: (message: unknown) => log.warn({ detail: String(message) }, "tunnel connection"),
    },
  });
  client.onmessage = (message: MessageEvent) => {
    const request = toForwardedRequest(String(message.data));
    if (!request) return;
    const delivery = request.headers["x-github-delivery"];
    void send(options.target, { method: "POST", headers: request.headers, body: request.body })
      .then(async (response) => {
        await response.arrayBuffer();
        log.info({ delivery, status: response.status }, "tunnel forwarded a delivery");
      })
      .catch((error: unknown) => log.error({ err: error, delivery }, "tunnel could not forward"));
  };
  return {
    async start() {
      await client.start();
      log.info({ target: options.target }, "tunnel open");
    },
    stop: () => client.stop(),
  };
}
