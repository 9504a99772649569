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

// The console's look (console.html), so /setup reads as part of it.
const STYLE = `body{font-family:system-ui,sans-serif;margin:0 auto;max-width:40rem;padding:1rem 1.5rem;color:#1f2328;line-height:1.5}
h1{font-size:1.4rem}.bad{color:#cf222e}.badge{display:inline-block;padding:.1rem .5rem;border-radius:1rem;background:#ddf4ff;font-size:.8rem}
code{background:#f6f8fa;padding:0 .2rem}a.back{display:inline-block;margin-top:1rem}`;

function page(title: string, body: string, failed = false): string {
  const heading = failed
    ? `<h1 class="bad">${escapeHtml(title)}</h1>`
    : `<h1>${escapeHtml(title)}</h1>`;
  return `<!doctype html><html lang="en"><head><meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1"><title>${escapeHtml(title)}</title>
<style>${STYLE}</style></head>
<body><p><span class="badge">Hookwright console · app registration</span></p>${heading}${body}
<p><a class="back" href="/" data-testid="back">← Back to the console</a></p></body></html>`;
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
          page(
            "App registration failed",
            `<p class="bad">${escapeHtml(toErrorBody(known).error.message)}</p>
<p>Start again from the console's <strong>Register a GitHub App</strong> form.</p>`,
            true,
          ),
        );
    }
  };
}
