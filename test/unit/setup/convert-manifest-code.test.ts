import { describe, expect, it } from "@jest/globals";
import { convertManifestCode } from "../../../src/setup/convert-manifest-code.js";
import { createFakeGitHub } from "../../helpers/fake-github/index.js";
import { testKeys } from "../../helpers/keys.js";
import { rejectionOf } from "../../helpers/rejection.js";

const API = "https://api.github.test";
const CONVERSION = /^\/app-manifests\/[^/]+\/conversions$/;

function fake() {
  return createFakeGitHub({ appId: 1, publicKey: testKeys().publicKey });
}

describe("convertManifestCode: timeouts", () => {
  it("fails with GITHUB_TIMEOUT, once, when GitHub never answers", async () => {
    const github = fake();
    github.hangNext({ method: "POST", path: CONVERSION });
    const started = performance.now();
    const conversion = convertManifestCode("abc", {
      apiUrl: API,
      fetch: github.fetch,
      timeoutMs: 100,
    });
    const error = await rejectionOf(conversion, "GITHUB_TIMEOUT");
    expect(performance.now() - started).toBeLessThan(2000);
    expect(error.message).toBe("GitHub did not answer the app manifest conversion within 100 ms");
    expect(github.callsTo("POST", CONVERSION)).toHaveLength(1);
  });

  it("fails with GITHUB_TIMEOUT when the answer's body trickles in past the timeout", async () => {
    const github = fake();
    github.trickleNext({ method: "POST", path: CONVERSION }, { bytesPerChunk: 1, intervalMs: 20 });
    const conversion = convertManifestCode("abc", {
      apiUrl: API,
      fetch: github.fetch,
      timeoutMs: 100,
    });
    await rejectionOf(conversion, "GITHUB_TIMEOUT");
  });
});
