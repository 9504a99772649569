import type { Server, ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";
import type { Express } from "express";
import type { Logger } from "pino";
import { createLimitedServer, type HttpLimits } from "./server-limits.js";

/** A listening HTTP server and how to stop it without cutting answers short. */
export interface Listening {
  readonly server: Server;
  /** Stops accepting connections; requests already in are still answered. */
  stopAccepting(): void;
  /** Waits up to `graceMs` for answers being written, then closes every connection. */
  close(graceMs: number): Promise<void>;
}

/** Serves `app` on `port`/`host`; `draining()` true makes every answer close its connection. */
export function listen(
  app: Express,
  options: {
    port: number;
    host?: string;
    logger: Logger;
    draining: () => boolean;
    limits?: Partial<HttpLimits>;
  },
): Promise<Listening> {
  return new Promise((resolve, reject) => {
    const server = createLimitedServer(options.limits);
    const answering = new Set<ServerResponse>();
    // Registered before the app, so even an answer sent at once sees the header.
    server.on("request", (_req, res: ServerResponse) => {
      if (options.draining()) res.setHeader("connection", "close");
      answering.add(res);
      res.on("close", () => answering.delete(res));
    });
    server.on("request", app);
    server.once("error", reject);
    server.listen(options.port, options.host, () => {
      const address = server.address() as AddressInfo;
      options.logger.info({ port: address.port, host: address.address }, "listening");
      let closing: Promise<void> | undefined;
      const stopAccepting = () => {
        // Answers still to come close their connection: a keep-alive socket going idle after
        // close() would otherwise hold the server open until its timeout.
        for (const res of answering) if (!res.headersSent) res.setHeader("connection", "close");
        return (closing ??= new Promise<void>((done) => server.close(() => done())));
      };
      resolve({
        server,
        stopAccepting: () => void stopAccepting(),
        async close(graceMs) {
          const closed = stopAccepting();
          let timer: NodeJS.Timeout | undefined;
          const grace = new Promise<void>((done) => {
            timer = setTimeout(done, graceMs);
          });
          await Promise.race([closed, grace]);
          clearTimeout(timer);
          server.closeAllConnections();
          await closed;
        },
      });
    });
  });
}
