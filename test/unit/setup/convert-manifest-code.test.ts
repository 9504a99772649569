import { describe, expect, it } from "@jest/globals";
import { convertManifestCode } from "../../../src/setup/convert-manifest-code.js";

const APP = {
  id: 99,
  slug: "my-bot",
  name: "My Bot",
  html_url: "https://github.com/apps/my-bot",
  client_id: "Iv1.abc",
  client_secret: "cs",
  webhook_secret: "ws",
  pem: "-----BEGIN RSA PRIVATE KEY-----\nx\n-----END RSA PRIVATE KEY-----\n",
};

function fakeFetch(status: number, body: unknown, seen: Request[] = []): typeof fetch {
  return async (input, init) => {
    seen.push(new Request(input, init));
    return new Response(JSON.stringify(body), { status });
  };
}

describe("convertManifestCode", () => {
  it("POSTs the code to /app-manifests/{code}/conversions without credentials and returns the app", async () => {
    const seen: Request[] = [];
    const app = await convertManifestCode("a/b", {
      apiUrl: "http://127.0.0.1:1/api/v3/",
      fetch: fakeFetch(201, APP, seen),
    });
    expect(seen[0]!.method).toBe("POST");
    expect(seen[0]!.url).toBe("http://127.0.0.1:1/api/v3/app-manifests/a%2Fb/conversions");
    expect(seen[0]!.headers.get("authorization")).toBeNull();
    expect(app).toEqual({
      id: 99,
      slug: "my-bot",
      name: "My Bot",
      htmlUrl: APP.html_url,
      clientId: "Iv1.abc",
      clientSecret: "cs",
      webhookSecret: "ws",
      pem: APP.pem,
    });
  });

  it("fails with APP_REGISTRATION_FAILED and GitHub's message when the code is refused", async () => {
    const failure = convertManifestCode("used", {
      apiUrl: "http://x",
      fetch: fakeFetch(404, { message: "Not Found" }),
    });
    await expect(failure).rejects.toMatchObject({
      code: "APP_REGISTRATION_FAILED",
      status: 404,
      message: expect.stringContaining("Not Found"),
    });
  });

  it("fails when the answer lacks a credential, or GitHub cannot be reached", async () => {
    const { pem: _pem, ...withoutPem } = APP;
    await expect(
      convertManifestCode("c", { apiUrl: "http://x", fetch: fakeFetch(201, withoutPem) }),
    ).rejects.toMatchObject({
      code: "APP_REGISTRATION_FAILED",
      message: expect.stringContaining("pem"),
    });
    const down: typeof fetch = () => Promise.reject(new TypeError("fetch failed"));
    await expect(
      convertManifestCode("c", { apiUrl: "http://x", fetch: down }),
    ).rejects.toMatchObject({
      code: "APP_REGISTRATION_FAILED",
    });
  });
});
