import { createPrivateKey } from "node:crypto";
import { createAppAuth } from "../../src/auth/create-app-auth.js";
import { createClientFactory } from "../../src/github/create-client-factory.js";
import { captureLogs } from "./capture-logs.js";
import { createFakeGitHub, type FakeHookDelivery } from "./fake-github/index.js";
import { testKeys } from "./keys.js";
import { createManualClock } from "./manual-clock.js";

/**
 * A fake GitHub whose app webhook log the test fills in, on real time: `redeliver` looks back
 * from Date.now(), and the fake dates the attempts a redelivery adds by its own clock.
 */
export function createDeliveryLog(appId: number) {
  const clock = createManualClock(Date.now());
  const github = createFakeGitHub({ appId, publicKey: testKeys().publicKey, clock });
  const now = Date.now();
  /** Logs an attempt delivered `msAgo` before the log was made. */
  const deliver = (
    id: number,
    guid: string,
    msAgo: number,
    statusCode: number,
    extra: Partial<FakeHookDelivery> = {},
  ) =>
    github.hookDeliveries.push({
      id,
      guid,
      deliveredAt: new Date(now - msAgo).toISOString(),
      statusCode,
      event: "issues",
      action: "opened",
      ...extra,
    });
  return { appId, github, clock, now, deliver };
}

/** Clients of the app `createDeliveryLog` serves, logging nowhere a test reads. */
export function createLogClients({ appId, github, clock }: ReturnType<typeof createDeliveryLog>) {
  const appAuth = createAppAuth({
    appId: String(appId),
    privateKey: createPrivateKey(testKeys().privateKeyPem),
    apiUrl: "https://api.github.test",
    fetch: github.fetch,
    clock,
    sleep: async () => {},
  });
  return createClientFactory({
    appAuth,
    logger: captureLogs().logger,
    fetch: github.fetch,
    retryBaseMs: 1,
  });
}
