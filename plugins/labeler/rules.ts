import { HookwrightError } from "../../src/index.js";

/** One label's triggers, from `.github/labeler.yml`. */
export interface LabelRule {
  label: string;
  keywords: string[];
  /** Globs over changed file paths (pull requests only). */
  paths: RegExp[];
}

export const CONFIG_FILE = "labeler.yml";

function invalid(message: string): HookwrightError {
  return new HookwrightError("CONFIG_FILE_INVALID", `.github/${CONFIG_FILE}: ${message}`);
}

function stringList(value: unknown, where: string): string[] {
  if (value === undefined || value === null) return [];
  const list = typeof value === "string" ? [value] : value;
  if (!Array.isArray(list) || !list.every((item) => typeof item === "string" && item !== "")) {
    throw invalid(`${where} must be a list of strings`);
  }
  return list;
}

/**
 * A glob as a RegExp over the whole path: `**` spans directories (`docs/**`, `**\/*.md`),
 * `*` and `?` stay within one path segment.
 */
export function globToRegExp(glob: string): RegExp {
  let source = "";
  for (let i = 0; i < glob.length; i++) {
    const char = glob[i]!;
    if (char === "*" && glob[i + 1] === "*") {
      const slash = glob[i + 2] === "/";
      source += slash ? "(?:.*/)?" : ".*";
      i += slash ? 2 : 1;
    } else if (char === "*") source += "[^/]*";
    else if (char === "?") source += "[^/]";
    else source += char.replace(/[.+^${}()|[\]\\]/g, "\\$&");
  }
  return new RegExp(`^${source}$`);
}

/** The rules of a parsed `labeler.yml`: `labels: { <label>: { keywords: [...], paths: [...] } }`. */
export function readRules(config: Record<string, unknown>): LabelRule[] {
  const labels = config.labels ?? {};
  if (typeof labels !== "object" || labels === null || Array.isArray(labels)) {
    throw invalid("labels must be a mapping of label names to { keywords, paths }");
  }
  return Object.entries(labels).map(([label, rule]) => {
    const fields = (rule ?? {}) as Record<string, unknown>;
    if (typeof fields !== "object" || Array.isArray(fields)) {
      throw invalid(`labels.${label} must be a mapping with keywords and/or paths`);
    }
    return {
      label,
      keywords: stringList(fields.keywords, `labels.${label}.keywords`).map((k) => k.toLowerCase()),
      paths: stringList(fields.paths, `labels.${label}.paths`).map(globToRegExp),
    };
  });
}

/** Whether `text` holds `keyword` as whole words, ignoring case ("bug" is not in "debugger"). */
export function mentions(text: string, keyword: string): boolean {
  const escaped = keyword.replace(/[.*+?^${}()|[\]\\]/g, "\\$&");
  return new RegExp(`(?<![\\p{L}\\p{N}_])${escaped}(?![\\p{L}\\p{N}_])`, "iu").test(text);
}

/** The labels whose keywords appear in `text` or whose paths match a changed file. */
export function matchLabels(rules: LabelRule[], text: string, files: string[]): string[] {
  return rules
    .filter(
      (rule) =>
        rule.keywords.some((keyword) => mentions(text, keyword)) ||
        rule.paths.some((pattern) => files.some((file) => pattern.test(file))),
    )
    .map((rule) => rule.label);
}
