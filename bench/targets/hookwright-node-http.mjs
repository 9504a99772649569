// An experiment, not a way Hookwright ships: the same app (createApp: receiver, auth, clients,
// plugins) with its webhook route served by node:http instead of Express. Its distance from
// the `hookwright` row is what Express costs on the webhook path.
import { createPrivateKey } from "node:crypto";
import { Buffer } from "node:buffer";
import { createServer } from "node:http";
import { pathToFileURL } from "node:url";

const dist = pathToFileURL(`${process.env.BENCH_HOOKWRIGHT_DIR}/dist/src/`);
const { createApp } = await import(new URL("index.js", dist).href);
const { readRawBody } = await import(new URL("server/read-raw-body.js", dist).href);
const { createLogger } = await import(new URL("logging/create-logger.js", dist).href);

const env = process.env;
const secrets = [env.WEBHOOK_SECRET];
const app = createApp({
  credentials: {
    appId: env.APP_ID,
    privateKey: createPrivateKey(env.PRIVATE_KEY),
    webhookSecrets: secrets,
  },
  github: { apiUrl: env.GITHUB_API_URL },
  dependencies: { logger: createLogger({ level: "warn", format: "json", secrets }) },
});
await app.load((await import(pathToFileURL(env.BENCH_PLUGIN).href)).default, "bench");

const server = createServer(async (req, res) => {
  if (req.url === "/ping") return void res.end("PONG");
  const body = await readRawBody(req, 25 * 1024 * 1024);
  const result = await app.receiver.receive(req.headers, body);
  const text = JSON.stringify(result.body);
  res.writeHead(result.status, {
    "content-type": "application/json; charset=utf-8",
    "content-length": Buffer.byteLength(text),
  });
  res.end(text);
});
server.keepAliveTimeout = 60_000;
server.listen(Number(env.PORT), env.HOST);
// A clean exit, so `node --cpu-prof` writes its profile (bench/profile.mjs).
process.once("SIGTERM", () => {
  server.closeAllConnections();
  server.close(() => process.exit(0));
});
