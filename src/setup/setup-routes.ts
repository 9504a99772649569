import type { RequestHandler } from "express";
import type { Logger } from "pino";
import { pageSecurityHeaders } from "../console/security-headers.js";
import { HookwrightError, toErrorBody, toHttpStatus } from "../errors.js";
import type { Setup } from "./create-setup.js";

const ESCAPES: Record<string, string> = {
  "&": "&amp;",
  "<": "&lt;",
  ">": "&gt;",
  '"': "&quot;",
  "'": "&#39;",
};

/** Text made safe to put between HTML tags or in a quoted attribute. */
export function escapeHtml(text: string): string {
  return text.replace(/[&<>"']/g, (char) => ESCAPES[char]!);
}

function page(title: string, body: string): string {
  return `<!doctype html><html lang="en"><head><meta charset="utf-8"><title>${escapeHtml(title)}</title></head>
<body style="font-family: system-ui, sans-serif; max-width: 40rem; margin: 3rem auto; line-height: 1.5">
<h1>${escapeHtml(title)}</h1>${body}</body></html>`;
}

/** `POST /console/api/register`: the form for GitHub's new-app page, built from app.yml. */
export function registerHandler(setup: Setup, publicUrl?: string): RequestHandler {
  return (req, res) => {
    const body = (req.body ?? {}) as { organization?: unknown; webhookUrl?: unknown };
    const text = (value: unknown) => (typeof value === "string" ? value : undefined);
    const form = setup.start({
      // The Host was checked (requireOwnHost): GitHub sends the browser back to this server.
      baseUrl: publicUrl ?? `${req.protocol}://${req.get("host") ?? "localhost"}`,
      organization: text(body.organization),
      webhookUrl: text(body.webhookUrl),
    });
    res.json(form);
  };
}

/**
 * `GET /setup?code=…&state=…`, where GitHub sends the browser after the app is created: the
 * credentials go into `.env` and the page says to restart. It shows no credential.
 */
export function setupPageHandler(setup: Setup, logger: Logger): RequestHandler {
  return async (req, res) => {
    res.set(pageSecurityHeaders());
    const code = typeof req.query.code === "string" ? req.query.code : "";
    const state = typeof req.query.state === "string" ? req.query.state : "";
    try {
      const app = await setup.finish(code, state);
      const install = `${app.htmlUrl.replace(/\/+$/, "")}/installations/new`;
      res.type("html").send(
        page(
          `Registered ${app.name}`,
          `<p>GitHub created the app (id ${app.appId}). ${escapeHtml(app.written.join(", "))} are now in <code>.env</code>.</p>
<p><strong>Restart the server</strong> (stop it, then <code>npm start</code>) to leave the sandbox and serve the new app.</p>
<p>Then <a href="${escapeHtml(install)}">install the app</a> on a repository and open an issue.</p>`,
        ),
      );
    } catch (error) {
      const known = error instanceof HookwrightError ? error : new HookwrightError("INTERNAL");
      if (toHttpStatus(known) >= 500) logger.error({ err: error }, "app registration failed");
      res
        .status(toHttpStatus(known))
        .type("html")
        .send(
          page("App registration failed", `<p>${escapeHtml(toErrorBody(known).error.message)}</p>`),
        );
    }
  };
}
