import type { KeyObject } from "node:crypto";
import type { Clock } from "../clock.js";
import { systemClock } from "../clock.js";
import { HookwrightError } from "../errors.js";
import { requestLimits, type RequestLimits } from "../request-limits.js";
import { createAppJwt } from "./create-app-jwt.js";
import { localFlight } from "./exchange-flight.js";
import { exchangeToken, type TokenScope } from "./exchange-token.js";
import { createMemoryTokenStore, type InstallationToken, type TokenStore } from "./token-store.js";

export type { TokenScope } from "./exchange-token.js";

/** The app's credentials turned into what API calls need: a JWT, or an installation token. */
export interface AppAuth {
  readonly appId: string;
  readonly apiUrl: string;
  /** A JWT authenticating as the app itself. */
  appJwt(): string;
  /** See AppJwt.observeServerDate: true when the JWT was re-dated for clock skew. */
  observeServerDate(date: string | null | undefined): boolean;
  /** A token for the installation, from the cache while it has at least the refresh margin left. */
  installationToken(installationId: number, scope?: TokenScope): Promise<InstallationToken>;
  /** Drops one cached token that GitHub rejected, so the next call mints a new one. */
  dropToken(installationId: number, scope: TokenScope | undefined, token: string): Promise<void>;
  /** Drops every cached token of the installation (its access changed). */
  invalidate(installationId: number): Promise<void>;
}

export interface AppAuthOptions {
  appId: string;
  /** The key, or a function reading it when a JWT is first needed (see AppJwtOptions). */
  privateKey: KeyObject | (() => KeyObject);
  /** Told once per process of a key shorter than GitHub issues. */
  warn?: (message: string) => void;
  apiUrl: string;
  fetch?: typeof fetch;
  clock?: Clock;
  store?: TokenStore;
  /** A cached token is replaced this long before its `expires_at`. */
  refreshMarginS?: number;
  userAgent?: string;
  /** Waits between retries of a failed exchange; tests pass one that does not wait. */
  sleep?: (ms: number) => Promise<void>;
  /**
   * Each exchange attempt's timeout and all attempts' budget (DEFAULT_REQUEST_LIMITS): a hung
   * exchange fails every caller sharing it in time, and the next call starts a fresh one.
   */
  requestLimits?: Partial<RequestLimits>;
  /** Told of every cache lookup and exchange (for metrics); must not throw. */
  observe?: (seen: TokenObservation) => void;
}

/** `outcome`: "success", or the error code the exchange failed with. */
export type TokenObservation =
  | { kind: "cache"; installation: number; hit: boolean }
  | { kind: "exchange"; installation: number; outcome: string };

/** Scope is part of the key: a token narrowed to some repositories must not serve a wider request. */
function scopeKey(scope: TokenScope | undefined): string {
  if (!scope) return "*";
  const sorted = (values: readonly (string | number)[] | undefined) =>
    values ? [...values].map(String).sort().join(",") : "";
  const permissions = Object.entries(scope.permissions ?? {})
    .sort(([a], [b]) => a.localeCompare(b))
    .map(([name, level]) => `${name}=${level}`)
    .join(",");
  const key = `${sorted(scope.repositories)};${sorted(scope.repositoryIds)};${permissions}`;
  return key === ";;" ? "*" : key;
}

export function createAppAuth(options: AppAuthOptions): AppAuth {
  const clock = options.clock ?? systemClock;
  const store = options.store ?? createMemoryTokenStore();
  const marginMs = (options.refreshMarginS ?? 300) * 1000;
  const jwt = createAppJwt({
    appId: options.appId,
    privateKey: options.privateKey,
    clock,
    warn: options.warn,
  });
  const pending = new Map<string, Promise<InstallationToken>>();
  const exchangeOptions = {
    apiUrl: options.apiUrl,
    fetch: options.fetch ?? globalThis.fetch,
    jwt,
    userAgent: options.userAgent ?? "hookwright",
    sleep:
      options.sleep ?? ((ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms))),
    now: () => clock.now(),
    limits: requestLimits(options.requestLimits),
  };
  const prefix = (installationId: number) =>
    `${options.apiUrl} ${options.appId} ${installationId} `;
  const keyFor = (installationId: number, scope: TokenScope | undefined) =>
    prefix(installationId) + scopeKey(scope);

  // `expires_at` is on GitHub's clock: a local clock running behind would keep an expired token.
  const msLeft = (token: InstallationToken) =>
    Date.parse(token.expiresAt) - marginMs - jwt.serverNow();

  const flight = store.flight ?? localFlight;
  const observe = options.observe;
  const fresh = async (key: string) => {
    const cached = await store.get(key);
    return cached && msLeft(cached) > 0 ? cached : undefined;
  };

  // With a shared store, another process may be exchanging for this key: its token serves us.
  function mint(key: string, installationId: number, scope: TokenScope | undefined) {
    return flight.run(
      key,
      async () => {
        let token: InstallationToken;
        try {
          token = await exchangeToken(exchangeOptions, installationId, scope);
        } catch (error) {
          const outcome = error instanceof HookwrightError ? error.code : "error";
          observe?.({ kind: "exchange", installation: installationId, outcome });
          throw error;
        }
        observe?.({ kind: "exchange", installation: installationId, outcome: "success" });
        await store.set(key, token, msLeft(token));
        return token;
      },
      () => fresh(key),
    );
  }

  return {
    appId: options.appId,
    apiUrl: options.apiUrl,
    appJwt: () => jwt.get(),
    observeServerDate: (date) => jwt.observeServerDate(date),
    async installationToken(installationId, scope) {
      if (!Number.isSafeInteger(installationId) || installationId <= 0) {
        throw new HookwrightError(
          "INSTALLATION_NOT_FOUND",
          `not an installation id: ${installationId}`,
        );
      }
      const key = keyFor(installationId, scope);
      const inFlight = pending.get(key);
      const cached = inFlight ? undefined : await fresh(key);
      // Joining an exchange under way is a miss too: the caller waits for GitHub all the same.
      observe?.({ kind: "cache", installation: installationId, hit: cached !== undefined });
      if (inFlight) return inFlight;
      if (cached) return cached;
      // Every caller that missed while one exchange is under way shares that exchange.
      const again = pending.get(key);
      if (again) return again;
      const minted = mint(key, installationId, scope).finally(() => pending.delete(key));
      pending.set(key, minted);
      return minted;
    },
    async dropToken(installationId, scope, token) {
      const key = keyFor(installationId, scope);
      const cached = await store.get(key);
      if (cached?.token === token) await store.delete(key);
    },
    async invalidate(installationId) {
      await store.deletePrefix(prefix(installationId));
    },
  };
}
