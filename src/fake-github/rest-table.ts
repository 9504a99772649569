import { existsSync, readFileSync } from "node:fs";
import { fileURLToPath } from "node:url";
import { gunzipSync } from "node:zlib";

/** One documented operation: `[method, path template, status, required body fields, example, docs]`. */
export type RestRouteRow = [string, string, number, string[], unknown, string | null];

export interface DocumentedRoute {
  method: string;
  /** As GitHub documents it, e.g. `/repos/{owner}/{repo}/branches`. */
  template: string;
  status: number;
  requiredBody: string[];
  /** GitHub's documented example response body, or null (e.g. for a 204). */
  example: unknown;
  documentationUrl: string | null;
}

export interface DocumentedMatch {
  route: DocumentedRoute;
  params: Record<string, string>;
}

interface Compiled {
  route: DocumentedRoute;
  pattern: RegExp;
  names: string[];
  /** Literal segments win over placeholders: `/issues/comments` before `/issues/{issue_number}`. */
  rank: number;
}

export interface RestTable {
  readonly size: number;
  readonly source: string;
  /** The documented route for a request path, placeholders filled (possibly empty). */
  match(method: string, pathname: string): DocumentedMatch | undefined;
}

// Built by scripts/generate-rest-routes.mjs from @octokit/openapi; this module runs from
// src/fake-github (tests, tsx) or dist/src/fake-github (the built package).
const CANDIDATES = [
  "../../fixtures/github-rest/routes.json.gz",
  "../../../fixtures/github-rest/routes.json.gz",
];

// Placeholders that hold slashes when they end the path: a file path, a git ref.
const SPANNING = new Set(["path", "ref"]);

function compile(route: DocumentedRoute): Compiled {
  const names: string[] = [];
  let rank = 0;
  const segments = route.template.split("/");
  const source = segments
    .map((segment, index) => {
      const placeholder = /^\{([^}]+)\}$/.exec(segment)?.[1];
      if (placeholder === undefined) {
        rank += 2;
        return segment.replace(/[.*+?^${}()|[\]\\]/g, "\\$&");
      }
      names.push(placeholder);
      if (index === segments.length - 1 && SPANNING.has(placeholder)) {
        rank -= 1;
        return "(.*)";
      }
      return "([^/]*)";
    })
    .join("/");
  return { route, pattern: new RegExp(`^${source}/?$`), names, rank };
}

/** A route table from rows (what the generated file holds). */
export function createRestTable(rows: RestRouteRow[], source = "rows"): RestTable {
  const byMethod = new Map<string, Compiled[]>();
  for (const [method, template, status, requiredBody, example, documentationUrl] of rows) {
    const list = byMethod.get(method) ?? [];
    list.push(compile({ method, template, status, requiredBody, example, documentationUrl }));
    byMethod.set(method, list);
  }
  for (const list of byMethod.values()) list.sort((a, b) => b.rank - a.rank);
  return {
    size: rows.length,
    source,
    match(method, pathname) {
      for (const candidate of byMethod.get(method.toUpperCase()) ?? []) {
        const found = candidate.pattern.exec(pathname);
        if (found === null) continue;
        const params: Record<string, string> = {};
        candidate.names.forEach((name, index) => {
          const raw = found[index + 1] ?? "";
          params[name] = safeDecode(raw);
        });
        return { route: candidate.route, params };
      }
      return undefined;
    },
  };
}

function safeDecode(value: string): string {
  try {
    return decodeURIComponent(value);
  } catch {
    return value;
  }
}

let shipped: RestTable | undefined;

/** Whether this process has read the shipped table yet (it should not have, serving a real app). */
export function shippedRestTableLoaded(): boolean {
  return shipped !== undefined;
}

/**
 * GitHub's documented REST routes, read on first use: the file is ~200 KB gzipped and takes
 * tens of milliseconds to parse, which a server with a real app never needs to pay. Immutable,
 * so one copy per process serves every fake.
 */
export function shippedRestTable(): RestTable {
  if (shipped !== undefined) return shipped;
  const path = CANDIDATES.map((candidate) =>
    fileURLToPath(new URL(candidate, import.meta.url)),
  ).find((candidate) => existsSync(candidate));
  if (path === undefined)
    throw new Error("fake GitHub: fixtures/github-rest/routes.json.gz is missing");
  const parsed = JSON.parse(gunzipSync(readFileSync(path)).toString("utf8")) as {
    source: string;
    routes: RestRouteRow[];
  };
  shipped = createRestTable(parsed.routes, parsed.source);
  return shipped;
}
