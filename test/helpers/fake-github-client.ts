import { createPrivateKey } from "node:crypto";
import { createFakeGitHub, type FakeGitHubOptions } from "hookwright/testing";
import { createAppAuth } from "../../src/auth/create-app-auth.js";
import { TEST_KIT_PERMISSIONS } from "../../src/fake-github/state.js";
import { createClientFactory } from "../../src/github/create-client-factory.js";
import { captureLogs } from "./capture-logs.js";
import { testKeys } from "./keys.js";

/**
 * A fake GitHub with installation 1 on `octo/hello` (and `repositories`, seeded), plus the
 * real Octokit a plugin gets for that installation.
 */
export function fakeWithClient(
  options: Partial<FakeGitHubOptions> & {
    apiUrl?: string;
    permissions?: Record<string, string>;
  } = {},
) {
  const {
    apiUrl = "https://api.github.test",
    permissions = TEST_KIT_PERMISSIONS,
    ...rest
  } = options;
  const seeded = Object.keys(rest.repositories ?? {});
  const github = createFakeGitHub({
    appId: 3,
    publicKey: testKeys().publicKey,
    installations: [
      {
        id: 1,
        account: { login: "octo" },
        repositories: [...new Set(["octo/hello", ...seeded])],
        permissions,
      },
    ],
    ...rest,
  });
  const appAuth = createAppAuth({
    appId: "3",
    privateKey: createPrivateKey(testKeys().privateKeyPem),
    apiUrl,
    fetch: github.fetch,
    ...(rest.clock && { clock: rest.clock }),
  });
  const clients = createClientFactory({
    appAuth,
    logger: captureLogs().logger,
    fetch: github.fetch,
  });
  return { github, octokit: clients.forInstallation(1) };
}

export const HELLO = { owner: "octo", repo: "hello" } as const;
