import { createFakeGitHub } from "hookwright/testing";
import { Probot, type ProbotOptions } from "hookwright/probot";
import { captureLogs } from "../../helpers/capture-logs.js";
import { testKeys } from "../../helpers/keys.js";

export const REPO = "Codertocat/Hello-World";

/** A Probot (app 7) on the fake GitHub through Probot's `request.fetch`, installed (id 3) on REPO. */
export function probotOnFakeGitHub(options: ProbotOptions = {}) {
  const keys = testKeys();
  const github = createFakeGitHub({ appId: 7, publicKey: keys.publicKey });
  github.addInstallation({ id: 3, account: { login: "Codertocat" }, repositories: [REPO] });
  const logs = captureLogs();
  const probot = new Probot({
    appId: 7,
    privateKey: keys.privateKeyPem,
    request: { fetch: github.fetch as typeof fetch },
    log: logs.logger,
    ...options,
  });
  return { probot, github, logs, keys };
}
