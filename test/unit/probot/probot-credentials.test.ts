import { generateKeyPairSync } from "node:crypto";
import { describe, expect, it } from "@jest/globals";
import { createFakeGitHub, readFixture } from "hookwright/testing";
import { Application, Probot, ProbotOctokit, type ProbotOptions } from "hookwright/probot";
import { captureLogs } from "../../helpers/capture-logs.js";
import { testKeys } from "../../helpers/keys.js";

// How Probot treats the app's credentials: the key is read when a JWT is first needed,
// Probot 9's `id`/`cert` names work, and published apps' 1024-bit fixture keys sign.
const REPO = "Codertocat/Hello-World";

function setup(options: ProbotOptions, publicKey = testKeys().publicKey) {
  const github = createFakeGitHub({ appId: 7, publicKey });
  github.addInstallation({ id: 3, account: { login: "Codertocat" }, repositories: [REPO] });
  const logs = captureLogs();
  const probot = new Probot({
    request: { fetch: github.fetch as typeof fetch },
    log: logs.logger,
    Octokit: ProbotOctokit.defaults({ retry: { enabled: false } }),
    ...options,
  });
  return { probot, github, logs };
}

const issueOpened = () => ({
  name: "issues",
  id: "d-1",
  payload: readFixture("issues.opened", { installation: { id: 3 } }),
});

describe("Probot credentials", () => {
  it("takes a placeholder key at construction and runs handlers that never authenticate", async () => {
    const { probot } = setup({ appId: 7, privateKey: "not a key" });
    const seen: string[] = [];
    probot.on("issues.opened", (context) => void seen.push(context.name));
    await probot.receive(issueOpened());
    expect(seen).toEqual(["issues"]);
  });

  it("names the option, never the key, when an invalid key is finally needed", async () => {
    const secretish =
      "-----BEGIN RSA PRIVATE KEY-----\nc2VjcmV0LWJ5dGVz\n-----END RSA PRIVATE KEY-----";
    const { probot, github } = setup({ appId: 7, privateKey: secretish });
    const client = await probot.auth(3);
    const failure = client.rest.issues.get({
      owner: "Codertocat",
      repo: "Hello-World",
      issue_number: 1,
    });
    await expect(failure).rejects.toMatchObject({ code: "PRIVATE_KEY_INVALID" });
    const error = (await failure.catch((caught: unknown) => caught)) as Error;
    expect(error.message).toMatch(/^privateKey: /);
    expect(error.message).not.toContain("c2VjcmV0");
    // Not retried as if the network had failed: nothing reached GitHub.
    expect(github.calls).toHaveLength(0);
  });

  it("reads Probot 9's id and cert as appId and privateKey", async () => {
    const { probot, github } = setup({ id: 7, cert: testKeys().privateKeyPem });
    const asApp = await probot.auth();
    await expect(asApp.rest.apps.getAuthenticated()).resolves.toMatchObject({ data: { id: 7 } });
    github.expectCall("GET /app");
    expect(new Application({ id: 7, cert: testKeys().privateKeyPem }).options).toMatchObject({
      appId: 7,
    });
  });

  it("signs with a 1024-bit key, warning once that it is too short for production", async () => {
    const short = generateKeyPairSync("rsa", { modulusLength: 1024 });
    const pem = short.privateKey.export({ type: "pkcs1", format: "pem" }).toString();
    const { probot, github, logs } = setup({ appId: 7, privateKey: pem }, short.publicKey);
    probot.on("issues.opened", (context) =>
      context.octokit.rest.issues.createComment(context.issue({ body: "short key" })),
    );
    await probot.receive(issueOpened());
    await (await probot.auth()).rest.apps.getAuthenticated();
    github.expectCall("POST /repos/{owner}/{repo}/issues/{issue_number}/comments", {
      body: "short key",
    });
    const warnings = logs.records().filter((record) => /too short/.test(String(record.msg)));
    expect(warnings).toHaveLength(1);
    expect(warnings[0]?.msg).toContain("1024-bit");
  });
});
