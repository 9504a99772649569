import type { Logger } from "pino";
import { createAppAuth } from "../../auth/create-app-auth.js";
import type { ClientFactory } from "../../github/create-client-factory.js";
import { createClientFactory } from "../../github/create-client-factory.js";
import type { Sandbox } from "../../sandbox/create-sandbox.js";

interface SandboxCall {
  method: string;
  path: string;
  status: number;
}

export interface SandboxClients {
  clients: ClientFactory;
  invalidate: (installationId: number) => Promise<void>;
  /** The delivery's API calls, one line each: `POST /repos/o/r/issues/1/comments → 201`. */
  report(deliveryId: string): string;
}

/**
 * Clients of the sandbox's app on its simulated GitHub, recording each call a delivery's
 * handlers make (by its `x-github-delivery`), so `receive --sandbox` can print them.
 */
export function sandboxClients(sandbox: Sandbox, logger: Logger, base: typeof fetch) {
  const calls = new Map<string, SandboxCall[]>();
  const basePath = new URL(sandbox.apiUrl).pathname.replace(/\/+$/, "");
  const recording: typeof fetch = async (input, init) => {
    const response = await base(input, init);
    const id = new globalThis.Headers(init?.headers).get("x-github-delivery");
    const url = new URL(input instanceof Request ? input.url : String(input));
    const path = url.pathname.slice(basePath.length);
    // The token exchange is the framework's business, not something the plugin did.
    if (id !== null && !path.startsWith("/app/")) {
      const method = (init?.method ?? "GET").toUpperCase();
      const list = calls.get(id) ?? [];
      list.push({ method, path: `${path}${url.search}`, status: response.status });
      calls.set(id, list);
    }
    return response;
  };
  const appAuth = createAppAuth({
    appId: sandbox.appId,
    privateKey: sandbox.privateKey,
    apiUrl: sandbox.apiUrl,
    fetch: recording,
  });
  const clients = createClientFactory({ appAuth, logger, fetch: recording });
  return {
    clients,
    invalidate: (installationId: number) => appAuth.invalidate(installationId),
    report(deliveryId: string) {
      const made = calls.get(deliveryId) ?? [];
      if (made.length === 0) return "no API calls\n";
      return made.map((call) => `${call.method} ${call.path} → ${call.status}\n`).join("");
    },
  } satisfies SandboxClients;
}
