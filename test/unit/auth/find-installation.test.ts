import { createPrivateKey } from "node:crypto";
import { describe, expect, it } from "@jest/globals";
import { createAppAuth } from "../../../src/auth/create-app-auth.js";
import {
  findInstallation,
  toInstallationSummary,
  type InstallationTarget,
} from "../../../src/auth/find-installation.js";
import { HookwrightError } from "../../../src/errors.js";
import { createClientFactory } from "../../../src/github/create-client-factory.js";
import { captureLogs } from "../../helpers/capture-logs.js";
import { createFakeGitHub } from "../../helpers/fake-github/index.js";
import { testKeys } from "../../helpers/keys.js";
import { createManualClock } from "../../helpers/manual-clock.js";
import { rejectionOf } from "../../helpers/rejection.js";

const APP_ID = 808;

function appClient(appId = String(APP_ID)) {
  const clock = createManualClock();
  const github = createFakeGitHub({
    appId: APP_ID,
    publicKey: testKeys().publicKey,
    clock,
    installations: [
      { id: 1, account: { login: "octo-org" }, repositories: ["octo-org/api"] },
      {
        id: 2,
        account: { login: "mona", type: "User" },
        repositories: ["mona/dotfiles"],
        repositorySelection: "all",
        suspended: true,
      },
    ],
  });
  const appAuth = createAppAuth({
    appId,
    privateKey: createPrivateKey(testKeys().privateKeyPem),
    apiUrl: "https://api.github.test",
    fetch: github.fetch,
    clock,
  });
  const clients = createClientFactory({
    appAuth,
    logger: captureLogs().logger,
    fetch: github.fetch,
  });
  return { github, client: clients.forApp() };
}

describe("findInstallation", () => {
  it.each<[InstallationTarget, number, string]>([
    [{ repo: { owner: "octo-org", name: "api" } }, 1, "/repos/octo-org/api/installation"],
    [{ org: "octo-org" }, 1, "/orgs/octo-org/installation"],
    [{ user: "mona" }, 2, "/users/mona/installation"],
    [{ installationId: 2 }, 2, "/app/installations/2"],
  ])("finds %j with the app's JWT", async (target, id, path) => {
    const { github, client } = appClient();
    const found = await findInstallation(client, target);
    expect(found.id).toBe(id);
    const [call] = github.callsTo("GET", path);
    expect(call?.auth.kind).toBe("jwt");
  });

  it("summarises the installation: account, target type, selection, suspended", async () => {
    const { client } = appClient();
    expect(await findInstallation(client, { user: "mona" })).toEqual({
      id: 2,
      account: "mona",
      targetType: "User",
      repositorySelection: "all",
      suspended: true,
    });
  });

  it.each<[InstallationTarget, string]>([
    [{ repo: { owner: "octo-org", name: "nope" } }, "the app is not installed on octo-org/nope"],
    [{ org: "acme" }, "the app is not installed on the organization acme"],
    [{ user: "someone" }, "the app is not installed on the user someone"],
    [{ installationId: 77 }, "the app has no installation 77"],
  ])("answers INSTALLATION_NOT_FOUND for %j, saying where", async (target, message) => {
    const { client } = appClient();
    const error = await rejectionOf(findInstallation(client, target));
    expect(error).toMatchObject({ code: "INSTALLATION_NOT_FOUND", status: 404, message });
  });

  it("answers APP_JWT_REJECTED, with GitHub's message, when the JWT is refused", async () => {
    const { client } = appClient("999");
    const error = await findInstallation(client, { org: "octo-org" }).catch((e: unknown) => e);
    expect(error).toMatchObject({ code: "APP_JWT_REJECTED", status: 401 });
    expect((error as Error).message).toBe("GitHub rejected the app JWT: Integration not found");
  });

  it("escapes names in the route rather than letting them change the path", async () => {
    const { github, client } = appClient();
    await findInstallation(client, { org: "a?b" }).catch(() => undefined);
    expect(github.calls[0]?.path).toBe("/orgs/a%3Fb/installation");
  });

  it("passes other failures through unchanged", async () => {
    const { github, client } = appClient();
    github.failNext({ path: /installation$/ }, { status: 422 });
    const error = await findInstallation(client, { org: "octo-org" }).catch((e: unknown) => e);
    expect(error).not.toBeInstanceOf(HookwrightError);
    expect(error).toMatchObject({ status: 422 });
  });
});

describe("toInstallationSummary", () => {
  it("names an enterprise installation by its slug and treats a missing suspended_at as active", () => {
    expect(
      toInstallationSummary({
        id: 9,
        account: { slug: "big-corp", name: "Big Corp" },
        target_type: "Enterprise",
        repository_selection: "selected",
      }),
    ).toEqual({
      id: 9,
      account: "big-corp",
      targetType: "Enterprise",
      repositorySelection: "selected",
      suspended: false,
    });
  });
});
