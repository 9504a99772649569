import { randomBytes, timingSafeEqual } from "node:crypto";
import { createServer, type Server } from "node:http";

/** Answers a git credential request's fields with `key=value` lines, or nothing. */
export type CredentialAnswer = (fields: Map<string, string>) => Promise<string>;

export interface CredentialServer {
  /** `http://127.0.0.1:PORT/`: where `exec-credential` asks. */
  url: string;
  /** The bearer the helper presents; only the child's environment holds it. */
  key: string;
  close(): Promise<void>;
}

const MAX_REQUEST = 16 * 1024;

function same(a: string, b: string): boolean {
  const left = Buffer.from(a);
  const right = Buffer.from(b);
  return left.length === right.length && timingSafeEqual(left, right);
}

/**
 * A loopback endpoint for the git credential helper `exec` gives its command: the helper runs
 * in the command's environment, which never holds the app's private key, so it asks this
 * process for the current installation token (renewed here before it expires).
 */
export async function startCredentialServer(answer: CredentialAnswer): Promise<CredentialServer> {
  const key = randomBytes(24).toString("base64url");
  const server: Server = createServer((req, res) => {
    if (req.method !== "POST" || !same(req.headers.authorization ?? "", `Bearer ${key}`)) {
      res.writeHead(404).end();
      return;
    }
    let body = "";
    req.setEncoding("utf8");
    req.on("data", (chunk: string) => {
      body += chunk;
      if (body.length > MAX_REQUEST) req.destroy();
    });
    req.on("end", () => {
      const fields = new Map(Object.entries(JSON.parse(body || "{}") as Record<string, string>));
      answer(fields).then(
        (text) => res.writeHead(200, { "content-type": "text/plain" }).end(text),
        () => res.writeHead(502).end(),
      );
    });
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const { port } = server.address() as { port: number };
  return {
    url: `http://127.0.0.1:${port}/`,
    key,
    close: () => new Promise((resolve) => server.close(() => resolve())),
  };
}
