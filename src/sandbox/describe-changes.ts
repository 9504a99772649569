import type { RecordedCall } from "../fake-github/types.js";

/** Something a delivery's handlers changed on the simulated GitHub. */
export type SandboxChange =
  | { kind: "comment"; repository: string; issue: number; body: string }
  | { kind: "label"; repository: string; issue: number; labels: string[] }
  | { kind: "write"; method: string; path: string };

const ISSUE_PART = /^\/repos\/([^/]+\/[^/]+)\/issues\/(\d+)\/(comments|labels)$/;

function labelsOf(body: unknown): string[] {
  const raw = Array.isArray(body) ? body : (body as { labels?: unknown } | undefined)?.labels;
  return Array.isArray(raw)
    ? raw.filter((label): label is string => typeof label === "string")
    : [];
}

/**
 * The writes the fake GitHub accepted for one delivery, found by the `x-github-delivery`
 * header every call made for a delivery carries. Only bodies the bot sent are read: never
 * the calls' headers, which hold its tokens.
 */
export function describeChanges(
  calls: readonly RecordedCall[],
  deliveryId: string,
): SandboxChange[] {
  const changes: SandboxChange[] = [];
  for (const call of calls) {
    if (call.headers["x-github-delivery"] !== deliveryId) continue;
    if (call.method === "GET" || call.method === "HEAD" || call.status >= 300) continue;
    // Token exchanges are the framework's own business, not a change to the repository.
    if (call.path.startsWith("/app/")) continue;
    const [, repository = "", issue = "0", part] = ISSUE_PART.exec(call.path.split("?")[0]!) ?? [];
    if (call.method === "POST" && part === "comments") {
      const body = (call.body as { body?: unknown } | undefined)?.body;
      changes.push({
        kind: "comment",
        repository,
        issue: Number(issue),
        body: typeof body === "string" ? body : "",
      });
    } else if (call.method === "POST" && part === "labels") {
      changes.push({
        kind: "label",
        repository,
        issue: Number(issue),
        labels: labelsOf(call.body),
      });
    } else {
      changes.push({ kind: "write", method: call.method, path: call.path });
    }
  }
  return changes;
}
