import { generateKeyPairSync, randomBytes, type KeyObject } from "node:crypto";
import { createFakeGitHub } from "../fake-github/index.js";
import { TEST_KIT_PERMISSIONS } from "../fake-github/state.js";
import type { FakeGitHub, TokenFormat } from "../fake-github/types.js";
import { describeChanges, type SandboxChange } from "./describe-changes.js";

/** The one simulated installation and repository; the repository is the fixtures' own. */
export const SANDBOX_APP_ID = 1;
export const SANDBOX_INSTALLATION_ID = 1;
export const SANDBOX_OWNER = "Codertocat";
export const SANDBOX_REPOSITORY = "Codertocat/Hello-World";

/** A simulated GitHub on loopback, with the credentials of an app registered on it. */
export interface SandboxOptions {
  /** The installation tokens its GitHub issues; the fake's default otherwise. */
  tokenFormat?: TokenFormat;
}

export interface Sandbox {
  appId: string;
  privateKey: KeyObject;
  webhookSecret: string;
  /** Where the simulated REST API listens, e.g. `http://127.0.0.1:41234`. */
  apiUrl: string;
  installationId: number;
  repository: string;
  /** What the deliveries' API calls changed there: comments written, labels added. */
  changesFor(deliveryId: string): SandboxChange[];
  close(): Promise<void>;
}

/**
 * Starts the same fake GitHub the tests use, on a loopback port, with a freshly generated key
 * and secret (they never leave the process), one installation and one repository.
 *
 * @example
 * const sandbox = await startSandbox();
 * const hookwright = createApp({
 *   credentials: { appId: sandbox.appId, privateKey: sandbox.privateKey, webhookSecrets: [sandbox.webhookSecret] },
 *   github: { apiUrl: sandbox.apiUrl },
 * });
 */
export async function startSandbox(options: SandboxOptions = {}): Promise<Sandbox> {
  const { privateKey, publicKey } = generateKeyPairSync("rsa", { modulusLength: 2048 });
  const github: FakeGitHub = createFakeGitHub({
    appId: SANDBOX_APP_ID,
    publicKey,
    ...(options.tokenFormat && { tokenFormat: options.tokenFormat }),
    installations: [
      {
        id: SANDBOX_INSTALLATION_ID,
        account: { login: SANDBOX_OWNER, type: "User" },
        repositories: [SANDBOX_REPOSITORY],
        permissions: TEST_KIT_PERMISSIONS,
      },
    ],
  });
  const apiUrl = await github.listen();
  return {
    appId: String(SANDBOX_APP_ID),
    privateKey,
    webhookSecret: randomBytes(24).toString("hex"),
    apiUrl,
    installationId: SANDBOX_INSTALLATION_ID,
    repository: SANDBOX_REPOSITORY,
    changesFor: (deliveryId) => describeChanges(github.calls, deliveryId),
    close: () => github.close(),
  };
}
