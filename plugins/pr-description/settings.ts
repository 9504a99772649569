import { HookwrightError } from "../../src/index.js";

export const CONFIG_FILE = "pr-description.yml";

/** `.github/pr-description.yml`; every key is optional. */
export interface Settings {
  /** Characters of description a pull request needs, once template comments are removed. */
  minLength: number;
  /** Posted when the description is too short; `{author}` becomes the author's login. */
  comment: string;
  /** Added while the description is missing and removed once it is written; "" for none. */
  label: string;
  /** Leave draft pull requests alone until they are marked ready for review. */
  skipDrafts: boolean;
}

export const DEFAULTS: Settings = {
  minLength: 1,
  comment:
    "Thanks for the pull request, @{author}! Please add a description: what it changes and why, " +
    "and how it was tested. It helps reviewers get to it sooner.",
  label: "needs-description",
  skipDrafts: true,
};

function invalid(key: string, expected: string): HookwrightError {
  return new HookwrightError(
    "CONFIG_FILE_INVALID",
    `.github/${CONFIG_FILE}: ${key} must be ${expected}`,
  );
}

/** The merged file, checked: a wrong type is reported naming the key, not silently ignored. */
export function readSettings(config: { [K in keyof Settings]?: unknown }): Settings {
  const { minLength, comment, label, skipDrafts } = config;
  if (typeof minLength !== "number" || !Number.isInteger(minLength) || minLength < 1) {
    throw invalid("minLength", "a whole number of at least 1");
  }
  if (typeof comment !== "string" || comment.trim() === "") throw invalid("comment", "text");
  if (typeof label !== "string") throw invalid("label", 'a label name, or "" for none');
  if (typeof skipDrafts !== "boolean") throw invalid("skipDrafts", "true or false");
  return { minLength, comment, label, skipDrafts };
}

/** The description as a reviewer sees it: without HTML comments left by a pull request template. */
export function writtenLength(body: string | null): number {
  return (body ?? "").replace(/<!--[\s\S]*?(?:-->|$)/g, "").trim().length;
}
