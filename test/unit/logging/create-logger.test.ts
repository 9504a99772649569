import { execFileSync } from "node:child_process";
import { createPrivateKey } from "node:crypto";
import { resolve } from "node:path";
import { Writable } from "node:stream";
import { pathToFileURL } from "node:url";
import { describe, expect, it } from "@jest/globals";
import jwt from "jsonwebtoken";
import { createApp } from "../../../src/app/create-app.js";
import { createLogger, createScrubber, loggerOptions } from "../../../src/logging/create-logger.js";
import { generateStatelessToken } from "../../../src/fake-github/tokens.js";
import type { TokenFormat } from "../../../src/fake-github/types.js";
import { captureLogs } from "../../helpers/capture-logs.js";
import { createFakeGitHub } from "../../helpers/fake-github/index.js";
import { testKeys } from "../../helpers/keys.js";
import { loadFixture } from "../../helpers/signed-delivery.js";

const keys = testKeys();
const TOKEN = `ghs_${"a1B2c3D4e5".repeat(4)}`;
const STATELESS = generateStatelessToken(1, Date.UTC(2026, 11, 2));
const JWT = jwt.sign({ iss: "1" }, keys.privateKeyPem, { algorithm: "RS256" });

describe("createScrubber", () => {
  const scrub = createScrubber(["webhook-s3cret", 'pa"ss\\word']);

  it.each([
    ["an installation token", `fetching https://x-access-token:${TOKEN}@github.com/o/r.git`, TOKEN],
    [
      "a stateless installation token",
      `fetching https://x-access-token:${STATELESS}@github.com/o/r.git`,
      STATELESS,
    ],
    ["a stateless token in a JSON line", JSON.stringify({ msg: `token ${STATELESS}.` }), STATELESS],
    ["a personal access token", `using ghp_${"x".repeat(36)} now`, `ghp_${"x".repeat(36)}`],
    ["a JWT", `{"msg":"Bearer ${JWT}"}`, JWT],
    ["a literal secret", `{"msg":"secret is webhook-s3cret!"}`, "webhook-s3cret"],
  ])("masks %s anywhere in a line", (_label, line, credential) => {
    const scrubbed = scrub(line);
    expect(scrubbed).not.toContain(credential);
    expect(scrubbed).toContain("[REDACTED]");
  });

  it("masks a PEM private key, raw or JSON-escaped, and keeps the text around it", () => {
    const pem = keys.privateKeyPem.trim();
    const escaped = JSON.stringify({ msg: `key: ${pem} end` });
    for (const line of [`key: ${pem} end`, escaped]) {
      const scrubbed = scrub(line);
      expect(scrubbed).not.toContain("PRIVATE KEY");
      expect(scrubbed).not.toContain(pem.split("\n")[1]);
      expect(scrubbed).toMatch(/key: \[REDACTED\] end/);
    }
  });

  it("matches a secret as JSON escapes it in the line", () => {
    const line = JSON.stringify({ msg: 'the secret pa"ss\\word leaked' });
    expect(scrub(line)).toBe(JSON.stringify({ msg: "the secret [REDACTED] leaked" }));
  });

  it("masks every character of a stateless token, not only up to its first dot", () => {
    const [, afterPrefix] = /^ghs_(.*)$/.exec(STATELESS)!;
    const parts = afterPrefix!.split(".");
    expect(STATELESS.length).toBeGreaterThan(500);
    expect(parts).toHaveLength(3);
    const scrubbed = scrub(`Authorization: token ${STATELESS} (expired)`);
    expect(scrubbed).toBe("Authorization: token [REDACTED] (expired)");
    for (const part of parts) expect(scrubbed).not.toContain(part.slice(-12));
  });

  it("leaves ordinary lines alone and ignores secrets too short to mask safely", () => {
    const line = '{"level":30,"msg":"listening","port":3000}';
    expect(createScrubber(["30"])(line)).toBe(line);
    expect(scrub(line)).toBe(line);
  });
});

describe("loggerOptions", () => {
  it("removes token and authorization fields by path", () => {
    const logs = captureLogs(loggerOptions({ level: "info" }));
    logs.logger.info(
      {
        token: "short-opaque",
        authorization: "token opaque-1",
        headers: { authorization: "bearer opaque-2" },
        request: { headers: { authorization: "bearer opaque-3" } },
        octokit: { token: "opaque-4" },
        privateKey: "opaque-5",
      },
      "call",
    );
    const [record] = logs.records();
    expect(record).toMatchObject({
      token: "[REDACTED]",
      authorization: "[REDACTED]",
      headers: { authorization: "[REDACTED]" },
      request: { headers: { authorization: "[REDACTED]" } },
      octokit: { token: "[REDACTED]" },
      privateKey: "[REDACTED]",
    });
    expect(logs.text()).not.toMatch(/opaque-\d/);
  });

  it("honours the level", () => {
    const logs = captureLogs(loggerOptions({ level: "warn" }));
    logs.logger.info("quiet");
    logs.logger.warn("loud");
    expect(logs.records().map((record) => record.msg)).toEqual(["loud"]);
  });

  it.each<TokenFormat>(["classic", "stateless"])(
    "never prints an issued %s token that a plugin logs, as a field or in a message",
    async (tokenFormat) => {
      const github = createFakeGitHub({
        appId: 4242,
        publicKey: keys.publicKey,
        tokenFormat,
        installations: [
          { id: 1, account: { login: "Codertocat" }, repositories: ["Codertocat/Hello-World"] },
        ],
      });
      const logs = captureLogs(loggerOptions({ level: "trace", secrets: ["hook-secret"] }));
      const hookwright = createApp({
        credentials: {
          appId: "4242",
          privateKey: createPrivateKey(keys.privateKeyPem),
          webhookSecrets: ["hook-secret"],
        },
        dependencies: { fetch: github.fetch, logger: logs.logger, retryBaseMs: 1 },
      });
      await hookwright.load((app) => {
        app.on("pull_request.opened", async (context) => {
          await context.octokit.rest.issues.createComment(context.issue({ body: "hi" }));
          const token = github.issuedTokens[0]!.token;
          context.log.info({ token }, "as a field");
          context.log.info({ detail: { token, authorization: `token ${token}` } }, "nested");
          context.log.info(`as text: ${token}`);
          app.log.warn(new Error(`failed with ${token}`), "as an error");
        });
      }, "leaky");
      await hookwright.dispatch({
        id: "delivery-1",
        name: "pull_request",
        payload: JSON.parse(loadFixture("pull_request.opened.installation").toString("utf8")),
      });
      await hookwright.close(100);

      const token = github.issuedTokens[0]!.token;
      expect(github.comments).toHaveLength(1);
      const messages = logs.records().map((record) => record.msg);
      expect(messages).toEqual(
        expect.arrayContaining(["as a field", "nested", "as text: [REDACTED]", "as an error"]),
      );
      expect(logs.text()).not.toContain(token);
      expect(logs.text()).not.toContain(token.slice(-24));
      expect(logs.text()).not.toContain("hook-secret");
    },
  );
});

describe("createLogger", () => {
  it("writes JSON lines named hookwright to the destination, secrets masked", () => {
    const lines: string[] = [];
    const destination = new Writable({
      write(chunk: Buffer, _encoding, callback) {
        lines.push(...chunk.toString().split("\n").filter(Boolean));
        callback();
      },
    });
    const logger = createLogger({ level: "info", secrets: ["hook-secret"], destination });
    logger.debug("hidden");
    logger.info({ token: TOKEN }, "secret hook-secret here");
    expect(lines).toHaveLength(1);
    const record = JSON.parse(lines[0]!) as Record<string, unknown>;
    expect(record).toMatchObject({ name: "hookwright", token: "[REDACTED]" });
    expect(record.msg).toBe("secret [REDACTED] here");
  });

  it("prints readable, scrubbed lines for the pretty format (the built module, in a process)", () => {
    // pino-pretty writes to stdout itself, so the line is read from a child's output.
    const built = pathToFileURL(resolve("dist/src/logging/create-logger.js")).href;
    const script = `import { createLogger } from ${JSON.stringify(built)};
      createLogger({ format: "pretty" }).info({ token: "t", at: 1 }, "hello ${TOKEN}");`;
    const out = execFileSync(process.execPath, ["--input-type=module", "-e", script], {
      encoding: "utf8",
    });
    expect(out).toMatch(/INFO \(hookwright\/\d+\): hello \[REDACTED\]/);
    expect(out).toContain('token: "[REDACTED]"');
    expect(out).not.toContain(TOKEN);
  });
});
