import type { InstallationToken } from "./token-store.js";

/**
 * How a cache miss becomes one exchange. In one process, createAppAuth already shares an
 * exchange between concurrent callers; a store shared by several processes brings a flight
 * that makes one exchange serve all of them.
 */
export interface ExchangeFlight {
  /**
   * Runs `exchange` (which stores the token it gets) for `key`, unless another process is
   * running it already: then waits, bounded, until `lookup` finds that process's token.
   */
  run(
    key: string,
    exchange: () => Promise<InstallationToken>,
    lookup: () => Promise<InstallationToken | undefined>,
  ): Promise<InstallationToken>;
}

/** Nobody else to wait for: exchange. */
export const localFlight: ExchangeFlight = { run: (_key, exchange) => exchange() };
